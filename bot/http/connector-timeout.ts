import { ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { withDeadline } from "../../lib/deadline";

type Base = ConfigurationBotFrameworkAuthentication;
type ConnectorFactory = ReturnType<Base["createConnectorFactory"]>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory["create"]>>;
type AuthenticateRequestResult = Awaited<ReturnType<Base["authenticateRequest"]>>;
type SendOperation = ConnectorClient["sendOperationRequest"];

/** How long one call to the Bot Connector (or one inbound token check) may take by default. */
export const DEFAULT_CONNECTOR_TIMEOUT_MS = 20_000;

/** An aborted call, as the HTTP pipeline's own abort names it: a call to Bot Framework that took too long. */
function tooLong(what: string, timeoutMs: number): Error {
  const err = new Error(`${what} did not finish within ${timeoutMs / 1000} s`);
  err.name = "AbortError";
  return err;
}

/**
 * Bot Framework authentication whose connector clients give every call to the Bot Connector a timeout: a
 * reply in a turn, a proactive send, an update. Without it, a connector that accepts the connection and never
 * answers holds the turn (and the proactive queue behind it) forever.
 *
 * botbuilder's connector factory replaces any request policies it is given, so each operation gets its own
 * abort signal instead: the HTTP pipeline aborts the call when it has not completed within `timeoutMs`, and
 * the call fails (an aborted call is not retried, so a post that may have landed is not sent twice). The
 * pipeline's own `timeout` option would leave a timer running after a failed request (it only clears it on a
 * response); AbortSignal.timeout holds no timer that keeps the process alive.
 *
 * The signal only reaches the HTTP call itself. Before it, the client signs the request with the bot's own
 * token (MSAL, to the Entra token endpoint), and before a turn starts, the inbound token is checked against
 * Bot Framework's OpenID keys (fetched over HTTP); neither of those takes a signal, so the whole operation is
 * bounded too, by the same deadline. A call whose token came too late is then sent with an aborted signal,
 * which fails at once: nothing is posted after the caller was told it failed.
 */
export class TimedBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    settings: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    credentials: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1],
    private readonly timeoutMs: number,
  ) {
    super(settings, credentials);
  }

  /** Turn replies: the connector factory of an inbound request. */
  override async authenticateRequest(...args: Parameters<Base["authenticateRequest"]>): Promise<AuthenticateRequestResult> {
    const result = await withDeadline(super.authenticateRequest(...args), this.timeoutMs, () => tooLong("Checking the request's Bot Framework token", this.timeoutMs));
    return result.connectorFactory ? { ...result, connectorFactory: this.timed(result.connectorFactory) } : result;
  }

  /** Proactive sends and updates. */
  override createConnectorFactory(...args: Parameters<Base["createConnectorFactory"]>): ConnectorFactory {
    return this.timed(super.createConnectorFactory(...args));
  }

  private timed(factory: ConnectorFactory): ConnectorFactory {
    const timeoutMs = this.timeoutMs;
    return {
      async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        const client = await factory.create(serviceUrl, audience);
        const send: SendOperation = client.sendOperationRequest.bind(client);
        client.sendOperationRequest = (operationArguments, operationSpec, callback) =>
          withDeadline(
            send({ ...operationArguments, options: { ...operationArguments.options, abortSignal: AbortSignal.timeout(timeoutMs) } }, operationSpec, callback),
            timeoutMs,
            () => tooLong("A call to the Bot Connector", timeoutMs),
          );
        return client;
      },
    };
  }
}
