/**
 * Graph-shaped errors. Handlers throw `GraphError`; the pipeline turns it into
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`, Graph's JSON error
 * object with a standard HTTP status (https://learn.microsoft.com/graph/errors).
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The error body Graph sends, with the request's correlation ids. */
export function errorBody(code: string, message: string, requestId: string, clientRequestId: string, nowMs: number): string {
  return JSON.stringify({
    error: {
      code,
      message,
      innerError: { date: new Date(nowMs).toISOString().slice(0, 19), "request-id": requestId, "client-request-id": clientRequestId },
    },
  });
}

export const invalidId = (id: string): GraphError => new GraphError(400, "Request_BadRequest", `Invalid object identifier '${id}'.`);

export const notFound = (id: string): GraphError =>
  new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const segmentNotFound = (segment: string): GraphError =>
  new GraphError(400, "BadRequest", `Resource not found for the segment '${segment}'.`);

export const methodNotAllowed = (): GraphError =>
  new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");

export const badJson = (): GraphError =>
  new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");

export const badRequest = (message: string): GraphError => new GraphError(400, "Request_BadRequest", message);

export const unsupportedQuery = (message: string): GraphError => new GraphError(400, "Request_UnsupportedQuery", message);

/** Types Graph serves from the directory: its refusals carry `Request_BadRequest` rather than `BadRequest`. */
const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  "microsoft.graph.user", "microsoft.graph.group", "microsoft.graph.application", "microsoft.graph.servicePrincipal",
  "microsoft.graph.directoryRole", "microsoft.graph.directoryObject", "microsoft.graph.authorizationPolicy",
]);

/** The error code of a refused request on `odataType`: `Request_BadRequest` for directory objects, else `BadRequest`. */
export function badRequestCode(odataType: string): string {
  return DIRECTORY_TYPES.has(odataType.replace(/^#/, "")) ? "Request_BadRequest" : "BadRequest";
}

/**
 * An unknown name in `$select` / `$expand`: OData's "Could not find a property named …" text; directory objects
 * answer it with the directory's code (https://github.com/microsoftgraph/microsoft-graph-docs/issues/6390 shows
 * OData reader texts under `Request_BadRequest`).
 */
export const unknownProperty = (name: string, odataType: string): GraphError =>
  new GraphError(400, badRequestCode(odataType), `Could not find a property named '${name}' on type '${odataType.replace(/^#/, "")}'.`);

export const syncedObject = (): GraphError =>
  new GraphError(400, "Request_BadRequest", "Unable to update the specified properties for objects that have originated within an external service.");

export const alreadyExists = (property: string): GraphError =>
  new GraphError(400, "Request_BadRequest", `One or more added object references already exist for the following modified properties: '${property}'.`);

export const dynamicGroup = (): GraphError =>
  new GraphError(400, "Request_BadRequest", "Members of a group with dynamic membership are computed from its membershipRule and cannot be added or removed directly.");

export const insufficientPrivileges = (): GraphError =>
  new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

export const expiredPageToken = (): GraphError =>
  new GraphError(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request.");

export const invalidPageToken = (): GraphError =>
  new GraphError(400, "Request_BadRequest", "The specified page token value is invalid.");

/**
 * A user list selecting a property Graph serves only for a single user: 501, as Graph answers
 * `/users?$select=preferredName` (https://github.com/microsoftgraph/microsoft-graph-docs/issues/7555).
 */
export const notImplemented = (): GraphError => new GraphError(501, "NotImplemented", "This operation target is not yet supported.");
