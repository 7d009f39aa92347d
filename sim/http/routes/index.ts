import { objectRoutes } from "./objects";
import { groupRoutes } from "./groups";
import { userRoutes } from "./users";
import { deletedItemRoutes } from "./deleted-items";
import { directoryRoutes } from "./directory";
import { deltaRoutes } from "./delta";
import type { Route } from "../router";

/** Every Graph endpoint, specific paths before the generic `{collection}/{id}` ones. */
export function allRoutes(): Route[] {
  return [...deltaRoutes, ...userRoutes, ...groupRoutes, ...deletedItemRoutes, ...directoryRoutes, ...objectRoutes()];
}
