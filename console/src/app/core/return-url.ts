/**
 * Where to go after signing in or changing the password (issue 17.8): the page the user asked for, if it is a
 * path of this console. Anything else (another origin, `//host`, `/\host`, a scheme, control characters, the
 * sign-in and password pages themselves) gives the home page, so a crafted link cannot send a user elsewhere.
 */
export function safeReturnUrl(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 2000) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
  const path = raw.split(/[?#]/, 1)[0]!;
  if (/^\/(login|password)(\/|$)/.test(path)) return '/';
  return raw;
}

/** The query that carries a return URL (none for the home page, which is where everyone lands anyway). */
export function returnUrlQuery(url: string): { queryParams?: { returnUrl: string } } {
  const safe = safeReturnUrl(url);
  return safe === '/' ? {} : { queryParams: { returnUrl: safe } };
}
