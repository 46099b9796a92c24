// JAX's snake_case names and keywords as jaxts spells them (DESIGN.md: camelCase).
export const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Keyword arguments with camelCase keys (a trailing options object). */
export const camelKeys = <T>(kw: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(kw).map(([k, v]) => [camel(k), v]));
