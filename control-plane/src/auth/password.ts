import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';
import { TooManyRequestsError } from '../errors.ts';
import { COMMON_PASSWORDS, COMMON_PASSWORD_STEMS } from './common-passwords.ts';

/**
 * Passwords are hashed with scrypt (N=2^15, r=8, p=1: about 50 ms and 32 MiB here), stored as
 * `scrypt$N$r$p$salt$hash` so the parameters can be raised later without breaking old hashes.
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

/**
 * scrypt runs on libuv's thread pool (off the event loop), but that pool is small and shared with DNS and
 * file I/O: a login flood must not fill it. At most HASH_CONCURRENCY hashes run at once and at most
 * HASH_QUEUE wait; beyond that a sign-in is refused at once as busy (429), costing nothing.
 */
const HASH_CONCURRENCY = 2;
const HASH_QUEUE = 64;
const hashSlots = pLimit(HASH_CONCURRENCY);

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  if (hashSlots.pendingCount >= HASH_QUEUE) {
    return Promise.reject(new TooManyRequestsError('too many sign-ins are being checked right now; try again in a moment'));
  }
  return hashSlots(() => new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  ));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

/** Whose password it is: a password containing their name is among the first guesses. */
export interface PasswordOwner {
  username?: string;
  displayName?: string;
}

/**
 * A password policy that the console can explain: length, at least three character classes, not one of the
 * common passwords (auth/common-passwords.ts), and not containing the owner's user name or display name
 * (see below for how short a name may be and still count).
 */
export function passwordProblem(password: string, owner: PasswordOwner = {}): string | null {
  if (password.length < 12) return 'password must have at least 12 characters';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'password must mix at least three of: lower case, upper case, digits, symbols';
  const lower = password.toLowerCase();
  // Digits and symbols stuck around a word do not hide it (`Password1234`, `!Qwerty2026!`), nor do the usual
  // substitutions inside it (`P@ssw0rd!`).
  const stem = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const unLeet = stem.replace(/[@4]/g, 'a').replace(/0/g, 'o').replace(/[$5]/g, 's').replace(/3/g, 'e').replace(/[1!]/g, 'i').replace(/7/g, 't');
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORD_STEMS.has(stem) || COMMON_PASSWORD_STEMS.has(unLeet)) {
    return 'password is one of the most common passwords: choose one nobody would guess first';
  }
  for (const [name, label] of [[owner.username, 'user name'], [owner.displayName, 'display name']] as const) {
    const n = name?.trim().toLowerCase();
    // Two characters already make a Chinese name; a Latin one needs three to be more than a coincidence.
    if (n && n.length >= (/^[\x20-\x7e]*$/.test(n) ? 3 : 2) && lower.includes(n)) return `password must not contain the ${label}`;
  }
  return null;
}

/** A generated password that satisfies the policy (for the first admin when none is configured). */
export function generatePassword(): string {
  return `Gy-${randomBytes(12).toString('base64url')}7a`;
}
