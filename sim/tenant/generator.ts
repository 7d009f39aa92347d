import { createContext, type TenantContext } from "./context";
import { BaseLinks } from "./membership";
import { generateUser, userFlavor } from "./users";
import { generateGroup } from "./groups";
import { generateApplication, generateServicePrincipal } from "./apps";
import { generateCaPolicy, generateNamedLocation } from "./policies";
import { ROLE_DEFS } from "./roles";
import type { Kind } from "./kinds";
import type { JsonObject } from "./json";
import type { TenantSpec } from "../types";

/**
 * The unmutated tenant as pure functions of (seed, kind, index). Nothing here is stored: asking for object i
 * twice builds it twice, identically.
 */
export class TenantGenerator {
  readonly tenant: TenantContext;
  readonly links: BaseLinks;

  constructor(spec: TenantSpec, demo: boolean) {
    this.tenant = createContext(spec, demo);
    this.links = new BaseLinks(this.tenant, this.count("servicePrincipal"), (u) => userFlavor(this.tenant, u) === "guest");
  }

  /** How many generated objects of `kind` exist (indices 0..count-1). */
  count(kind: Kind): number {
    const s = this.tenant.spec;
    switch (kind) {
      case "user": return s.users;
      case "group": return s.groups;
      case "application": return s.applications;
      case "servicePrincipal": return s.applications + 1; // one per application, then Microsoft Graph
      case "conditionalAccessPolicy": return s.conditionalAccessPolicies;
      case "namedLocation": return s.namedLocations;
      case "directoryRole": return ROLE_DEFS.length;
    }
  }

  /** Generated object `index` of `kind`, or undefined when out of range. */
  object(kind: Kind, index: number): JsonObject | undefined {
    if (index < 0 || index >= this.count(kind)) return undefined;
    switch (kind) {
      case "user": return generateUser(this.tenant, index);
      case "group": return generateGroup(this.tenant, index);
      case "application": return generateApplication(this.tenant, index);
      case "servicePrincipal": return generateServicePrincipal(this.tenant, index);
      case "conditionalAccessPolicy": return generateCaPolicy(this.tenant, index);
      case "namedLocation": return generateNamedLocation(this.tenant, index);
      case "directoryRole": return this.directoryRole(index);
    }
  }

  private directoryRole(r: number): JsonObject | undefined {
    const def = ROLE_DEFS[r];
    if (!def) return undefined;
    return {
      id: this.tenant.ids.id("directoryRole", r),
      deletedDateTime: null,
      description: def.description,
      displayName: def.displayName,
      roleTemplateId: def.roleTemplateId,
    };
  }

  /** User indices holding directory role r. */
  roleHolders(r: number): number[] {
    const def = ROLE_DEFS[r];
    if (!def) return [];
    const list = this.tenant.demo ? def.holders.demo : def.holders.generated;
    return list.filter((u) => u < this.tenant.spec.users);
  }
}
