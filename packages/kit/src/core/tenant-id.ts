declare const tenantIdBrand: unique symbol;

/**
 * A tenant's id, branded so that an account id or a device id in its place does not compile.
 * Values become TenantIds at the edges only: the gateway assertion, an event envelope, an
 * argument a use-case has checked the caller may act on.
 */
export type TenantId = string & { readonly [tenantIdBrand]: true };

export function asTenantId(value: string): TenantId {
  // The one place a string becomes a TenantId; the brand exists only in the types.
  return value as TenantId;
}
