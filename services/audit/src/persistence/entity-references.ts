/** A federation reference to an account (identity owns it), as resolvers receive it. */
export interface AccountReference {
  id: string;
  tenantId: string;
}

/** A federation reference to a tenant (the tenant subgraph owns it). */
export interface TenantReference {
  id: string;
}
