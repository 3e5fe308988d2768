/**
 * Passwords that guessing starts with (issue 19.8): the stems of the most common passwords in published breach
 * lists, and words about this deployment (product, province, capital). A password whose letters, once digits
 * and symbols around them are dropped and lower-cased, are one of these is refused: `Password1234`,
 * `P@ssw0rd!` and `Jiangxi@2026` all reduce to a stem here. Kept small on purpose: length and the classes rule
 * do the rest; this only removes the first guesses of every dictionary attack.
 */
export const COMMON_PASSWORD_STEMS: ReadonlySet<string> = new Set([
  'password', 'pass', 'passwd', 'pwd', 'secret', 'letmein', 'welcome',
  'admin', 'administrator', 'root', 'user', 'guest', 'test', 'changeme', 'default', 'login', 'master',
  'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbn', 'zxcvbnm', 'qazwsx', 'qwer', 'asdf', 'abc',
  'abcdef', 'iloveyou', 'monkey', 'dragon', 'sunshine', 'princess', 'football', 'baseball', 'superman',
  'batman', 'trustno', 'shadow', 'hello', 'freedom', 'whatever', 'starwars', 'computer', 'internet',
  'woaini', 'aini', 'china', 'beijing', 'shanghai', 'huawei', 'zhongguo',
  'ganyun', 'jiangxi', 'nanchang', 'gov', 'zwy', 'cloud', 'yun',
]);

/** Whole passwords (lower-cased) that are common without reducing to a stem: keyboard walks and digit runs. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1qaz2wsx3edc', '1qaz@wsx3edc', '1qaz!qaz2wsx', '!qaz2wsx#edc', 'qwe123!@#qwe', 'qwer1234!@#$',
  'abc123!@#abc', '123456789abc', 'abcd1234!@#$', 'a1b2c3d4e5f6', '1q2w3e4r5t6y', '1q2w3e4r!q2w',
  'zaq12wsxcde3', 'qweasdzxc123', '12345678910a', 'aa123456789!', 'p@ssw0rd1234', 'password@123',
]);
