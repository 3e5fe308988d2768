import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.ts';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one; the hash carries its parameters', async () => {
    const hash = await hashPassword('Correct-Horse-9');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('Correct-Horse-9', hash)).toBeTrue();
    expect(await verifyPassword('Correct-Horse-8', hash)).toBeFalse();
    expect(await verifyPassword('x', 'md5$abc')).toBeFalse();
  });
  it('enforces the policy', () => {
    expect(passwordProblem('short1A!')).toMatch(/12 characters/);
    expect(passwordProblem('alllowercaseletters')).toMatch(/three/);
    expect(passwordProblem('Mixed-Case-123')).toBeNull();
    expect(passwordProblem(generatePassword())).toBeNull();
  });
});
