export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;
const RESERVED_SLUGS = new Set(['platform', 'admin', 'api', 'www', 'graphql', 'login', 'static']);

/** Lower-case ASCII slug from a display name: "Fjord Café AS" → "fjord-cafe-as". */
export function slugFromName(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/ß/g, 'ss')
    .toLowerCase();
  const slug = ascii
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug.length >= 3 ? slug : `${slug || 'tenant'}-org`.slice(0, 40);
}

export function slugProblem(slug: string): string | undefined {
  if (!SLUG_PATTERN.test(slug)) return 'must be 3 to 40 lower-case letters, digits or inner hyphens';
  if (RESERVED_SLUGS.has(slug)) return 'is reserved';
  if (slug.includes('--')) return 'must not contain consecutive hyphens';
  return undefined;
}

/** The candidates tried in order when a derived slug collides: name, name-2, name-3... */
export function slugCandidate(base: string, attempt: number): string {
  if (attempt === 0) return base;
  const suffix = `-${attempt + 1}`;
  return `${base.slice(0, 40 - suffix.length).replace(/-+$/g, '')}${suffix}`;
}
