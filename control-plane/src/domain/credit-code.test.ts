import { checkCharacter, creditCodeProblem } from './credit-code.ts';

describe('unified social credit code (GB 32100)', () => {
  const cases: [string, ReturnType<typeof creditCodeProblem>, string][] = [
    ['91350100M000100Y43', null, 'the example printed in GB 32100-2015'],
    ['91440300708461136T', null, 'a real enterprise code with a letter check character'],
    ['91110000600037341L', null, 'another real code'],
    ['91350100M000100Y44', 'check', 'last character changed'],
    ['91350100M000100Y4', 'length', 'one character short'],
    ['91350100M000100Y43X', 'length', 'one character long'],
    ['91350100M000I00Y43', 'alphabet', 'I is not in the alphabet (confusable with 1)'],
    ['91350100m000100Y43', 'alphabet', 'lower case is not accepted'],
  ];
  for (const [code, problem, why] of cases) {
    it(`${code}: ${problem ?? 'valid'} (${why})`, () => expect(creditCodeProblem(code)).toBe(problem));
  }
  it('computes 0 when the weighted sum is a multiple of 31 (not 31, which is out of range)', () => {
    // Find a body whose sum is divisible by 31 by varying the last digit; the check must then be '0'.
    for (let d = 0; d <= 9; d++) {
      const body = `1136000001450016${d}`;
      const check = checkCharacter(body);
      expect('0123456789ABCDEFGHJKLMNPQRTUWXY').toContain(check);
      expect(creditCodeProblem(body + check)).toBeNull();
    }
  });
});
