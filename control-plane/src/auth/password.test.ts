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
  it('refuses the most common passwords however they are dressed up, and names inside a password (issue 19.8)', () => {
    for (const common of ['Password1234', 'P@ssw0rd2026!', '!Qwerty2026!x'.slice(0, 12), 'Jiangxi@2026', 'Welcome#2026', '1qaz2wsx3EDC']) {
      expect(passwordProblem(common)).withContext(common).toMatch(/most common passwords/);
    }
    expect(passwordProblem('Wang.Wei-2026!', { username: 'wang.wei' })).toMatch(/user name/);
    expect(passwordProblem('Secure-王伟-2026', { username: 'wangwei', displayName: '王伟' })).toMatch(/display name/);
    // A name too short to mean anything does not make every password containing it bad.
    expect(passwordProblem('Steady-Boat-2026', { username: 'bo', displayName: 'B' })).toBeNull();
    expect(passwordProblem('Steady-Boat-2026', { username: 'wang.wei', displayName: '王伟' })).toBeNull();
  });
});
