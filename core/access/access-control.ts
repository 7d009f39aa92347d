import type { Logger } from "pino";
import { withDeadline } from "../../lib/deadline";
import { forbiddenError } from "../model/errors";
import type { Clock, Directory } from "../ports";
import { allows, DIRECTORY_ROLE_NAMES, type Permission, type Role } from "./roles";

/** Where roles come from besides directory roles, and how long a lookup is trusted. */
export interface AccessOptions {
  /** How long role member lists are reused; short, so a removed admin loses access quickly. Default 60 s. */
  readonly cacheMs?: number;
  /** Groups whose direct members get a role (ROLE_GROUP_BACKUP_ADMINS, ROLE_GROUP_BACKUP_READERS). */
  readonly groups?: Readonly<Partial<Record<Role, readonly string[]>>>;
  /**
   * How long one lookup may take before access is refused. Shorter than one Graph request's deadline (60 s by
   * default), so a hung Graph holds a command or a card click this long at most. Default 10 s.
   */
  readonly lookupTimeoutMs?: number;
}

/** A role lookup that did not finish in time. */
class LookupTimeoutError extends Error {
  override readonly name = "LookupTimeoutError";
}

interface Cached {
  readonly members: ReadonlySet<string>;
  readonly until: number;
}

/**
 * Decides what an acting user may do, from the tenant itself: members of the directory roles Global
 * Administrator, Microsoft Entra Backup Administrator and Microsoft Entra Backup Reader, and of configured
 * groups. Looked up through the Directory when a use case runs (never from card data), with a brief cache.
 * When the lookup fails or takes too long, access is refused: a Graph outage must not open the door, nor
 * hold every command while it lasts.
 */
export class AccessControl {
  private readonly cache = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<ReadonlySet<string>>>();
  private readonly cacheMs: number;
  private readonly lookupTimeoutMs: number;

  constructor(
    private readonly directory: Directory,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: AccessOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 60_000;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 10_000;
  }

  /** The user's roles now. */
  async rolesOf(userId: string): Promise<Set<Role>> {
    const roles = new Set<Role>();
    await Promise.all(
      (Object.keys(DIRECTORY_ROLE_NAMES) as Role[]).map(async (role) => {
        const sources = [`role:${DIRECTORY_ROLE_NAMES[role]}`, ...(this.options.groups?.[role] ?? []).map((g) => `group:${g}`)];
        for (const source of sources) {
          if ((await this.members(source)).has(userId)) {
            roles.add(role);
            return;
          }
        }
      }),
    );
    return roles;
  }

  /**
   * Resolves with the user's roles when they allow `permission`; otherwise throws the 403 with the exact
   * access-denied text (core/model/errors.ts).
   */
  async require(userId: string, permission: Permission): Promise<Set<Role>> {
    let roles: Set<Role>;
    try {
      roles = await this.rolesOf(userId);
    } catch (err) {
      this.log.error({ err, userId, permission }, "could not read roles; refusing");
      throw forbiddenError();
    }
    if (!allows(roles, permission)) {
      this.log.info({ userId, permission, roles: [...roles] }, "access denied");
      throw forbiddenError();
    }
    return roles;
  }

  private async members(source: string): Promise<ReadonlySet<string>> {
    const now = this.clock.now().getTime();
    const hit = this.cache.get(source);
    if (hit && hit.until > now) return hit.members;
    let pending = this.inflight.get(source);
    if (!pending) {
      // The deadline is the lookup's own, shared by everyone waiting on it: once it passes, the lookup is
      // forgotten and the next call starts a fresh one instead of waiting on a hung one.
      const started: Promise<ReadonlySet<string>> = this.inTime(this.lookup(source), source).finally(() => {
        if (this.inflight.get(source) === started) this.inflight.delete(source);
      });
      pending = started;
      this.inflight.set(source, started);
    }
    const members = await pending;
    this.cache.set(source, { members, until: this.clock.now().getTime() + this.cacheMs });
    return members;
  }

  /** The lookup's answer, or a `LookupTimeoutError` once it took longer than `lookupTimeoutMs`. */
  private inTime(lookup: Promise<ReadonlySet<string>>, source: string): Promise<ReadonlySet<string>> {
    return withDeadline(lookup, this.lookupTimeoutMs, () => new LookupTimeoutError(`the lookup of ${source} took longer than ${this.lookupTimeoutMs} ms`));
  }

  private async lookup(source: string): Promise<ReadonlySet<string>> {
    if (source.startsWith("role:")) return new Set(await this.directory.directoryRoleMembers(source.slice(5)));
    const group = await this.directory.getObject("group", source.slice(6));
    return new Set(group?.links.filter((l) => l.link === "members").flatMap((l) => l.targets.map((t) => t.id)) ?? []);
  }
}
