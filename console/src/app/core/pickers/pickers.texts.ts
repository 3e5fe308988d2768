/** Texts of the shared pickers of existing objects (core/pickers). Chinese first; English typed against its keys. */
export const pickersZh = {
  'picker.system.label': '业务系统',
  'picker.system.placeholder': '输入系统名称搜索',
  'picker.system.searching': '正在搜索…',
  'picker.system.none': '没有名称包含「{text}」的系统',
  'picker.system.noneAtAll': '没有可选择的系统',
  'picker.system.results': '{count} 个系统，上下方向键选择，回车确定',
  'picker.system.more': '显示更多',
  'picker.system.unreadable': '（无法读取该系统）',
  'picker.systems.chosen': '已选择的系统',
  'picker.systems.remove': '移除 {name}',
  'picker.systems.placeholder': '输入系统名称搜索并添加',
};

export const pickersEn: Record<keyof typeof pickersZh, string> = {
  'picker.system.label': 'Business system',
  'picker.system.placeholder': 'Type a system name to search',
  'picker.system.searching': 'Searching…',
  'picker.system.none': 'No system whose name contains “{text}”',
  'picker.system.noneAtAll': 'No systems to choose from',
  'picker.system.results': '{count, plural, one {# system} other {# systems}}; arrow keys to move, Enter to choose',
  'picker.system.more': 'Show more',
  'picker.system.unreadable': '(system cannot be read)',
  'picker.systems.chosen': 'Chosen systems',
  'picker.systems.remove': 'Remove {name}',
  'picker.systems.placeholder': 'Type a system name to search and add',
};
