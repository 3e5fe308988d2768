import type { ErrorCode } from '@ganyun/control-plane/router-types';

/**
 * The server's error codes in the user's language (issue 17.4). The server sends `error.data.reason =
 * { code, path?, params?, issues? }`; core/error-text.ts picks the text here and fills in the parameters. The
 * server's English `message` is never shown.
 *
 * Keys:
 *  - `err.<code>`: one per code in ERROR_CODES (control-plane/src/errors.ts). Typed against ErrorCode, so a new
 *    code without a text fails the build; error-text.spec.ts checks both languages at run time too.
 *  - `err.<code>`: needs no parameter (a reason may come without them).
 *  - `err.<code>.with.<a>+<b>`: a fuller text using parameters a and b (names sorted), chosen when the server
 *    sent all of them; the variant using the most parameters wins.
 *  - `err.issue.<code>` (and `.<origin>`): one problem with one field (zod's issues and custom rule codes).
 *  - `err.status.<http status>`: what to say when the code is unknown to this console (a newer server).
 * Counts use ICU plurals (`{count, plural, one {…} other {…}}`, see I18nService); Chinese has no plural forms.
 */
const reasonsZh = {
  'err.input.invalid': '输入有不符合要求之处，请按提示修改',
  'err.input.invalid.with.count': '输入有 {count} 处不符合要求，请按提示修改',
  'err.input.malformed': '提交的内容无法解析，请刷新页面后重试',
  'err.input.rejected': '输入的值不被接受，请检查后重试',
  'err.input.tooLarge': '提交的内容过大',
  'err.csv.rowsInvalid': '文件中有错误的行，未导入任何数据',
  'err.csv.rowsInvalid.with.count': '文件中有 {count} 行有误，未导入任何数据',
  'err.csv.rowsInvalid.with.count+rows': '文件中有 {count} 行有误（第 {rows} 行），未导入任何数据',
  'err.auth.required': '未登录或登录已失效，请重新登录',
  'err.auth.loginFailed': '用户名或密码错误；若连续失败多次，请稍候再试',
  'err.auth.forbidden': '您没有执行此操作的权限',
  'err.auth.roleMissing': '此操作需要相应的角色',
  'err.auth.roleMissing.with.roles': '此操作需要以下角色之一：{roles}',
  'err.auth.passwordChangeRequired': '请先修改密码，再进行其他操作',
  'err.auth.ownRequest': '不能审批自己提交的申请',
  'err.auth.passwordWrong': '当前密码不正确',
  'err.auth.passwordWeak': '新密码不够安全：需要足够长，包含大写字母、小写字母、数字、符号中的三类，不能是常见密码，也不能包含用户名或姓名',
  'err.auth.passwordWeak.with.minLength': '新密码不够安全：至少 {minLength} 个字符，包含大写字母、小写字母、数字、符号中的三类，不能是常见密码，也不能包含用户名或姓名',
  'err.auth.passwordUnchanged': '新密码不能与当前密码相同',
  'err.approval.notApprover': '您不是此审批步骤的审批人',
  'err.approval.notApprover.with.step': '您不是审批步骤“{step}”的审批人',
  'err.notFound': '对象不存在，或不在您的权限范围内',
  'err.conflict': '与现有数据冲突，请检查后重试',
  'err.conflict.exists': '相同的记录已存在',
  'err.conflict.reference': '该对象仍被其他数据引用，或引用了不存在的数据',
  'err.conflict.overlap': '与已有条目重叠',
  'err.approval.alreadyDecided': '该审批步骤已有结论，无需再次审批',
  'err.approval.alreadyDecided.with.step': '审批步骤“{step}”已有结论，无需再次审批',
  'err.approval.alreadyDecided.with.status': '您已审批过此申请，申请当前状态：{status}',
  'err.request.notPending': '只有审批中的申请才能审批',
  'err.request.notPending.with.status': '申请当前状态为“{status}”，只有审批中的申请才能审批',
  'err.request.duplicate': '相同的申请已经提交，正在处理中，请勿重复提交',
  'err.quota.exceeded': '超出配额：该系统在此云上没有可用配额',
  'err.quota.exceeded.with.cloudId+left+level+requested+resourceClass': '超出{level}配额：云 {cloudId} 上的{resourceClass}仅剩 {left}，本次申请 {requested}',
  'err.policy.denied': '该申请不符合准入策略',
  'err.policy.denied.with.reasons': '该申请不符合准入策略，请查看策略检查结果',
  'err.placement.noCloud': '没有能够承载该系统的云',
  'err.placement.noCloud.with.reasons': '没有能够承载该系统的云，请查看放置检查结果',
  'err.rateLimited': '操作过于频繁，请稍后再试',
  'err.notSupported': '不支持此操作',
  'err.timeout': '服务器处理超时，请稍后再试',
  'err.internal': '服务器内部错误，请稍后再试；如仍失败请联系管理员',
  'err.unavailable': '数据库暂时无法访问（可能正在重启或切换），请稍后再试',
} satisfies Record<`err.${ErrorCode}`, string> & Record<string, string>;

const issuesZh = {
  'err.issue.input.tooSmall': '值太小',
  'err.issue.input.tooSmall.string': '至少 {minimum} 个字符',
  'err.issue.input.tooSmall.array': '至少选择 {minimum} 项',
  'err.issue.input.tooSmall.set': '至少选择 {minimum} 项',
  'err.issue.input.tooSmall.number': '不能小于 {minimum}',
  'err.issue.input.tooBig': '值太大',
  'err.issue.input.tooBig.string': '最多 {maximum} 个字符',
  'err.issue.input.tooBig.array': '最多 {maximum} 项',
  'err.issue.input.tooBig.set': '最多 {maximum} 项',
  'err.issue.input.tooBig.number': '不能大于 {maximum}',
  'err.issue.input.invalidType': '类型不正确',
  'err.issue.input.invalidFormat': '格式不正确',
  'err.issue.input.invalidValue': '不是允许的取值',
  'err.issue.input.unknownKeys': '包含无法识别的字段',
  'err.issue.input.notMultipleOf': '必须是 {divisor} 的倍数',
  'err.issue.input.rule': '不符合填写规则',
  'err.issue.system.creditCode': '统一社会信用代码不正确：应为 18 位，且校验位正确',
};

const statusZh = {
  'err.status.0': '无法连接服务器，请检查网络后重试',
  'err.status.400': '输入有误，请检查后重试',
  'err.status.401': '未登录或登录已失效，请重新登录',
  'err.status.403': '您没有执行此操作的权限',
  'err.status.404': '对象不存在',
  'err.status.405': '不支持此操作',
  'err.status.408': '服务器处理超时，请稍后再试',
  'err.status.409': '与当前数据冲突，请刷新后重试',
  'err.status.413': '提交的内容过大',
  'err.status.422': '请求无法执行',
  'err.status.429': '操作过于频繁，请稍后再试',
  'err.status.500': '服务器内部错误，请稍后再试',
  'err.status.502': '服务器暂时不可用，请稍后再试',
  'err.status.503': '服务器暂时不可用，请稍后再试',
  'err.status.504': '服务器响应超时，请稍后再试',
  'err.status.other': '操作失败（错误代码 {code}）',
  'err.field': '{field}：{message}',
  'err.list': '；',
};

export const errorMessagesZh = { ...reasonsZh, ...issuesZh, ...statusZh };

type Key = keyof typeof errorMessagesZh;

export const errorMessagesEn: Record<Key, string> = {
  'err.input.invalid': 'Some fields need correcting: see the hints',
  'err.input.invalid.with.count': '{count, plural, one {# field needs} other {# fields need}} correcting: see the hints',
  'err.input.malformed': 'The request could not be read; reload the page and try again',
  'err.input.rejected': 'A value was not accepted; check the input and try again',
  'err.input.tooLarge': 'What was sent is too large',
  'err.csv.rowsInvalid': 'Some rows of the file are wrong; nothing was imported',
  'err.csv.rowsInvalid.with.count': '{count, plural, one {# row is wrong} other {# rows are wrong}}; nothing was imported',
  'err.csv.rowsInvalid.with.count+rows':
    '{count, plural, one {# row is wrong (row {rows})} other {# rows are wrong (rows {rows})}}; nothing was imported',
  'err.auth.required': 'You are not signed in, or the session has expired; sign in again',
  'err.auth.loginFailed': 'Wrong username or password; after repeated failures, wait a while before trying again',
  'err.auth.forbidden': 'You are not allowed to do this',
  'err.auth.roleMissing': 'This needs a role you do not have',
  'err.auth.roleMissing.with.roles': 'This needs one of these roles: {roles}',
  'err.auth.passwordChangeRequired': 'Change your password before doing anything else',
  'err.auth.ownRequest': 'You cannot approve or reject your own request',
  'err.auth.passwordWrong': 'The current password is wrong',
  'err.auth.passwordWeak':
    'The new password is too weak: it must be long enough, mix three of upper case, lower case, digits and symbols, not be a common password, and not contain your username or name',
  'err.auth.passwordWeak.with.minLength':
    'The new password is too weak: at least {minLength} characters, three of upper case, lower case, digits and symbols, not a common password, and without your username or name',
  'err.auth.passwordUnchanged': 'The new password must differ from the current one',
  'err.approval.notApprover': 'You are not an approver of this step',
  'err.approval.notApprover.with.step': 'You are not an approver of the step “{step}”',
  'err.notFound': 'Not found, or outside your scope',
  'err.conflict': 'This conflicts with existing data; check and try again',
  'err.conflict.exists': 'This already exists',
  'err.conflict.reference': 'It is still referred to, or refers to something that does not exist',
  'err.conflict.overlap': 'It overlaps an existing entry',
  'err.approval.alreadyDecided': 'This step has already been decided',
  'err.approval.alreadyDecided.with.step': 'The step “{step}” has already been decided',
  'err.approval.alreadyDecided.with.status': 'You have already decided this request; it is now {status}',
  'err.request.notPending': 'Only a pending request can be decided',
  'err.request.notPending.with.status': 'The request is {status}; only a pending request can be decided',
  'err.request.duplicate': 'An identical request is already open; it was not submitted again',
  'err.quota.exceeded': 'Quota exceeded: the system has no quota on that cloud',
  'err.quota.exceeded.with.cloudId+left+level+requested+resourceClass':
    'Quota exceeded at {level} level: {resourceClass} on cloud {cloudId} has {left} left, {requested} requested',
  'err.policy.denied': 'The admission policy refuses this request',
  'err.policy.denied.with.reasons': 'The admission policy refuses this request: {reasons}',
  'err.placement.noCloud': 'No cloud can take this system',
  'err.placement.noCloud.with.reasons': 'No cloud can take this system: {reasons}',
  'err.rateLimited': 'Too many attempts; try again later',
  'err.notSupported': 'This operation is not supported',
  'err.timeout': 'The server took too long; try again later',
  'err.internal': 'Server error; try again later, and tell an administrator if it persists',
  'err.unavailable': 'The database cannot be reached just now (a restart or a failover); try again shortly',

  'err.issue.input.tooSmall': 'Too small',
  'err.issue.input.tooSmall.string': '{minimum, plural, one {At least # character} other {At least # characters}}',
  'err.issue.input.tooSmall.array': '{minimum, plural, one {Choose at least # item} other {Choose at least # items}}',
  'err.issue.input.tooSmall.set': '{minimum, plural, one {Choose at least # item} other {Choose at least # items}}',
  'err.issue.input.tooSmall.number': 'Must be at least {minimum}',
  'err.issue.input.tooBig': 'Too large',
  'err.issue.input.tooBig.string': '{maximum, plural, one {At most # character} other {At most # characters}}',
  'err.issue.input.tooBig.array': '{maximum, plural, one {At most # item} other {At most # items}}',
  'err.issue.input.tooBig.set': '{maximum, plural, one {At most # item} other {At most # items}}',
  'err.issue.input.tooBig.number': 'Must be at most {maximum}',
  'err.issue.input.invalidType': 'Wrong type of value',
  'err.issue.input.invalidFormat': 'Invalid format',
  'err.issue.input.invalidValue': 'Not one of the allowed values',
  'err.issue.input.unknownKeys': 'Contains fields that are not recognised',
  'err.issue.input.notMultipleOf': 'Must be a multiple of {divisor}',
  'err.issue.input.rule': 'Does not follow the rule for this field',
  'err.issue.system.creditCode': 'Not a valid unified social credit code: 18 characters with a correct check character',

  'err.status.0': 'Cannot reach the server; check the network and try again',
  'err.status.400': 'Invalid input; check it and try again',
  'err.status.401': 'You are not signed in, or the session has expired; sign in again',
  'err.status.403': 'You are not allowed to do this',
  'err.status.404': 'Not found',
  'err.status.405': 'This operation is not supported',
  'err.status.408': 'The server took too long; try again later',
  'err.status.409': 'This conflicts with the current data; refresh and try again',
  'err.status.413': 'What was sent is too large',
  'err.status.422': 'The request cannot be carried out',
  'err.status.429': 'Too many attempts; try again later',
  'err.status.500': 'Server error; try again later',
  'err.status.502': 'The server is unavailable for the moment; try again later',
  'err.status.503': 'The server is unavailable for the moment; try again later',
  'err.status.504': 'The server did not answer in time; try again later',
  'err.status.other': 'The operation failed (error code {code})',
  'err.field': '{field}: {message}',
  'err.list': '; ',
};
