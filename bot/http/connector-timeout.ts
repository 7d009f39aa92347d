import { ConfigurationBotFrameworkAuthentication } from "botbuilder";

type Base = ConfigurationBotFrameworkAuthentication;
type ConnectorFactory = ReturnType<Base["createConnectorFactory"]>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory["create"]>>;
type AuthenticateRequestResult = Awaited<ReturnType<Base["authenticateRequest"]>>;
type SendOperation = ConnectorClient["sendOperationRequest"];

/** How long one call to the Bot Connector may wait for its answer by default. */
export const DEFAULT_CONNECTOR_TIMEOUT_MS = 20_000;

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
    const result = await super.authenticateRequest(...args);
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
          send({ ...operationArguments, options: { ...operationArguments.options, abortSignal: AbortSignal.timeout(timeoutMs) } }, operationSpec, callback);
        return client;
      },
    };
  }
}
