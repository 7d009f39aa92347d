import { noContent } from "../request";
import { contextUrl, renderDirectoryObject } from "../render";
import { pageByPosition } from "../paging";
import { DEFAULT_PAGE, parseSelect, parseTop } from "../query";
import { SELECTABLE } from "../../tenant/schema";
import { refBodyId, requireLive } from "./common";
import { applyAdditions, checkLinksWritable, removeLink, resolveAdditions, type LinkName } from "./group-links";
import type { Route, RouteContext } from "../router";

/** Properties a client may select on a directory-object list (members, owners, memberOf). */
export const DIRECTORY_OBJECT_SELECT: ReadonlySet<string> = new Set([
  ...SELECTABLE.user, ...SELECTABLE.group, ...SELECTABLE.servicePrincipal, ...SELECTABLE.directoryRole,
]);

function listLink(call: RouteContext, link: LinkName): ReturnType<Route["handle"]> {
  const dir = call.env.dir;
  const g = requireLive(call, "group", call.params[0] ?? "");
  const select = parseSelect(call.req.query.get("$select"), DIRECTORY_OBJECT_SELECT, "#microsoft.graph.directoryObject");
  const top = parseTop(call.req.query.get("$top")) ?? DEFAULT_PAGE;
  const context = contextUrl(call.req.version, "directoryObjects");
  const render = (ref: number | undefined): string | undefined => {
    if (ref === undefined) return undefined;
    const o = renderDirectoryObject(dir, ref, select);
    return o ? JSON.stringify(o) : undefined;
  };
  if (link === "members") return pageByPosition(call, context, top, dir.memberCount(g), (j) => render(dir.memberAt(g, j)));
  const owners = dir.owners(g);
  return pageByPosition(call, context, top, owners.length, (j) => render(owners[j]));
}

function addLink(call: RouteContext, link: LinkName): ReturnType<Route["handle"]> {
  const g = requireLive(call, "group", call.params[0] ?? "");
  const id = refBodyId(call);
  checkLinksWritable(call, g, link);
  applyAdditions(call, g, link, resolveAdditions(call, g, link, [id]));
  return noContent(call.env.dir.idOf("group", g));
}

function deleteLink(call: RouteContext, link: LinkName): ReturnType<Route["handle"]> {
  const g = requireLive(call, "group", call.params[0] ?? "");
  checkLinksWritable(call, g, link);
  removeLink(call, g, link, call.params[1] ?? "");
  return noContent(call.env.dir.idOf("group", g));
}

/** Group members and owners: list, add by `$ref`, remove by `$ref`. */
export const groupRoutes: readonly Route[] = [
  { method: "GET", path: "groups/:id/members", cost: 3, handle: (c) => listLink(c, "members") },
  { method: "GET", path: "groups/:id/owners", cost: 1, handle: (c) => listLink(c, "owners") },
  { method: "POST", path: "groups/:id/members/$ref", cost: 1, write: true, handle: (c) => addLink(c, "members") },
  { method: "POST", path: "groups/:id/owners/$ref", cost: 1, write: true, handle: (c) => addLink(c, "owners") },
  { method: "DELETE", path: "groups/:id/members/:mid/$ref", cost: 1, write: true, handle: (c) => deleteLink(c, "members") },
  { method: "DELETE", path: "groups/:id/owners/:oid/$ref", cost: 1, write: true, handle: (c) => deleteLink(c, "owners") },
  {
    method: "GET",
    path: "groups/:id/members/$ref",
    cost: 3,
    handle: (c) => {
      const dir = c.env.dir;
      const g = requireLive(c, "group", c.params[0] ?? "");
      return pageByPosition(c, contextUrl(c.req.version, "Collection($ref)"), parseTop(c.req.query.get("$top")) ?? DEFAULT_PAGE, dir.memberCount(g), (j) => {
        const ref = dir.memberAt(g, j);
        return ref !== undefined && dir.isLiveRef(ref) ? JSON.stringify({ "@odata.id": `https://graph.microsoft.com/v2/${dir.tenant.tenantId}/directoryObjects/${dir.refId(ref)}` }) : undefined;
      });
    },
  },
];
