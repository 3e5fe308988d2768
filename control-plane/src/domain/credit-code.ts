/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-character
 * alphabet (no I, O, Z, S, V); characters 3–8 are the registering division code; the 18th is a
 * check character computed from the first 17 with fixed weights, modulo 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'length' | 'alphabet' | 'check';

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** Returns null when valid, else what is wrong (the caller words the message). */
export function creditCodeProblem(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  for (const ch of code) if (!ALPHABET.includes(ch)) return 'alphabet';
  return checkCharacter(code.slice(0, 17)) === code[17] ? null : 'check';
}

export function describeCreditCodeProblem(code: string): string | null {
  switch (creditCodeProblem(code)) {
    case null:
      return null;
    case 'length':
      return `a unified social credit code has 18 characters, got ${code.length}`;
    case 'alphabet':
      return 'a unified social credit code uses only digits and the letters A–Y without I, O, S, V, Z (upper case)';
    case 'check':
      return `check character is wrong: expected ${checkCharacter(code.slice(0, 17))} for ${code.slice(0, 17)}`;
  }
}
