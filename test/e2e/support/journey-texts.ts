/** What the user reads, per language (the console's catalogue texts the journeys look for), and the names they type. */
export const TEXTS = {
  'zh-CN': {
    system: '社保待遇资格认证系统', request: '认证系统上线资源',
    registered: '已登记', newTab: '新建申请', mineTab: '我的申请', queueTab: '待我审批', pending: '审批中', provisioned: '已开通',
    pass: '通过', stepApproved: '已通过', stepActive: '审批中', succeeded: '成功', approve: '同意',
    blocked: '不可达：', reachable: '可达：', verified: /^审计链完整，共验证 \d+ 条记录$/,
  },
  en: {
    // People in Jiangxi name their systems in Chinese whatever the console's language: the names are data.
    system: '养老保险待遇认证系统', request: '养老认证系统上线资源',
    registered: 'Registered', newTab: 'New request', mineTab: 'My requests', queueTab: 'Awaiting my approval', pending: 'Pending', provisioned: 'Provisioned',
    pass: 'Pass', stepApproved: 'Approved', stepActive: 'Deciding', succeeded: 'Succeeded', approve: 'Agreed',
    blocked: 'Blocked: ', reachable: 'Reachable: ', verified: /^Chain intact: \d+ records verified$/,
  },
} as const;
