/** Interface text, Chinese first (the duty room reads Chinese), English beside it. */
export const zh = {
  app: { title: '潮汐守望 · 高新区环境与安全监测', short: '潮汐守望' },
  login: { title: '登录', username: '用户名', password: '密码', submit: '登录', failed: '用户名或密码错误', tooMany: '尝试次数过多，请稍后再试', lockedOut: '尝试次数过多，账号已暂时锁定，请在 {wait}后重试', sessionEnded: '登录已失效，请重新登录', unreachable: '无法连接监测中心：{message}' },
  wait: { seconds: '{n} 秒', minutes: '{n} 分钟' },
  nav: { logout: '退出', password: '修改密码', language: 'English', live: '实时连接', offline: '连接中断', reconnecting: '正在重连…' },
  kind: { air: '空气质量', pump_station: '污水泵站', wwtp: '污水处理厂', river: '河流断面', seawater: '近岸海域', gas_point: '燃气安全', fishing_port: '渔港', ebike_charging: '电动车充电棚' },
  status: { normal: '正常', warning: '预警', alarm: '报警', offline: '离线' },
  severity: { critical: '紧急', major: '重要', minor: '次要', warning: '提示' },
  state: { active: '待处理', acknowledged: '已确认', resolved: '已解决', cleared: '已恢复' },
  map: { sites: '{n} 个监测点', layers: '图层', outline: '高新区轮廓（离线）' },
  alerts: { title: '告警', none: '当前无告警', ack: '确认', resolve: '解决', note: '处理说明', history: '处理记录', all: '全部', cancel: '取消', submit: '提交', openedAt: '发生时间', site: '监测点', newCritical: '新的紧急告警' },
  air: { title: '空气质量', district: '全区', primary: '首要污染物', unavailable: '无有效数据', hour: '{hour} 时' },
  goals: { title: '目标看板', target: '目标', met: '达标', notMet: '未达标', unknown: '数据不足', lastYear: '去年同期', tabAlerts: '告警', tabGoals: '目标', tabReport: '月报' },
  report: { title: '环境质量月报', month: '月份', partial: '本月尚未结束，为截至目前的数据', noData: '该月没有监测数据', archived: '已归档', goodDays: '优良天数比例', composite: '综合指数', sea: '近岸海域优良比例', wwtp: '污水厂达标率', alerts: '告警', download: '下载', open: '在新窗口查看', regenerate: '重新生成', regenerated: '已重新生成', failed: '获取失败' },
  admin: { title: '系统管理', back: '返回监测', users: '用户', username: '用户名', password: '密码', role: '角色', create: '新建', sites: '监测点', id: '编号', kind: '类型', nameZh: '中文名称', nameEn: '英文名称', lat: '纬度', lon: '经度', retire: '停用', rules: '告警规则', enabled: '启用', deadLetters: '拒收消息', reason: '原因', done: '已保存', viewer: '查看', operator: '值班', adminRole: '管理' },
  password: {
    title: '修改密码', forced: '您的密码由管理员设置，须先设置自己的新密码才能继续使用。', current: '当前密码', next: '新密码', confirm: '再次输入新密码', submit: '修改密码',
    mismatch: '两次输入的新密码不一致', changed: '密码已修改，您在其他设备上的登录已退出', back: '返回监测', failed: '未能修改：{message}',
    policy: '密码要求', ruleLength: '至少 10 个字符', ruleKinds: '包含小写字母、大写字母、数字、符号中的至少三类（16 个字符及以上的长密码不限）', ruleCommon: '不能是常见密码', ruleUsername: '不能包含用户名',
  },
  serverMessage: {
    currentWrong: '当前密码错误', mustDiffer: '新密码不能与当前密码相同', tooShort: '密码至少需要 10 个字符', tooCommon: '密码过于常见，请换一个', fewChars: '密码中不同的字符太少',
    hasUsername: '密码不能包含用户名', kinds: '请使用小写字母、大写字母、数字、符号中的至少三类（或至少 16 个字符）', lastAdmin: '不能降级、停用或删除最后一个启用的管理员',
    disableSelf: '不能停用自己的账号', removeSelf: '不能删除自己的账号', usernameTaken: '用户名已存在（不区分大小写）', usernameFormat: '用户名须为 3–64 个字母、数字或 _ . -',
  },
  users: {
    title: '用户', username: '用户名', role: '角色', status: '状态', enabled: '启用', disabled: '已停用', mustChange: '待改密', created: '创建时间', passwordChanged: '密码修改时间', actions: '操作',
    disable: '停用', enable: '启用', resetPassword: '重置密码', delete: '删除', newPassword: '新密码', setPassword: '设置', cancel: '取消', you: '（本人）',
    confirmDelete: '确定删除用户“{name}”吗？其登录将立即失效，此操作不可撤销。', confirmDeleteYes: '删除 {name}', resetFor: '为“{name}”设置新密码（对方下次登录时须修改）',
    create: '新建用户', mustChangeAtFirst: '首次登录时必须修改密码', failed: '操作失败：{message}', done: '已保存',
  },
  audit: {
    title: '审计日志', actor: '操作人', action: '操作', anyAction: '全部操作', outcome: '结果', anyOutcome: '全部结果', from: '起', to: '止', filter: '筛选', clear: '清除',
    older: '更早的记录', none: '没有符合条件的记录', time: '时间（北京时间）', target: '对象', ip: 'IP', detail: '详情', failed: '审计日志获取失败：{message}',
    outcomes: { ok: '成功', denied: '拒绝', failed: '失败' },
    groups: { auth: '登录与密码（全部）', user: '用户管理（全部）' },
    actions: { auth_login: '登录', auth_logout: '退出登录', auth_password_change: '修改本人密码', user_create: '新建用户', user_update: '修改用户', user_reset_password: '重置用户密码', user_delete: '删除用户', site_create: '新建监测点', site_update: '修改监测点', site_retire: '停用监测点', credential_issue: '签发设备凭据', credential_revoke: '吊销设备凭据', rule_create: '新建告警规则', rule_update: '修改告警规则', rule_override: '设置站点规则', rule_remove_override: '取消站点规则', alert_acknowledge: '确认告警', alert_resolve: '处置完成', alert_assign: '指派告警', alert_comment: '告警批注', report_regenerate: '重新生成月报', review_mark: '标记数据无效', review_withdraw: '撤销数据审核标记' },
  },
  site: { latest: '最新数值', lastSeen: '最近数据', events: '近期事件', close: '关闭', range24h: '24小时', range7d: '7天', range30d: '30天', noData: '暂无数据', indicator: '评价' },
};

export type Messages = typeof zh;

export const en: Messages = {
  app: { title: 'Tidewatch · Hi-tech Zone environment & safety', short: 'Tidewatch' },
  login: { title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in', failed: 'Wrong username or password', tooMany: 'Too many attempts; try again later', lockedOut: 'Too many attempts: sign-in is locked, try again in {wait}', sessionEnded: 'Your session has ended: please log in again', unreachable: 'The hub cannot be reached: {message}' },
  wait: { seconds: '{n} s', minutes: '{n} min' },
  nav: { logout: 'Log out', password: 'Change password', language: '中文', live: 'Live', offline: 'Disconnected', reconnecting: 'Reconnecting…' },
  kind: { air: 'Air quality', pump_station: 'Pump station', wwtp: 'Wastewater plant', river: 'River section', seawater: 'Near-shore sea', gas_point: 'Gas safety', fishing_port: 'Fishing port', ebike_charging: 'E-bike charging' },
  status: { normal: 'Normal', warning: 'Warning', alarm: 'Alarm', offline: 'Offline' },
  severity: { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning' },
  state: { active: 'Active', acknowledged: 'Acknowledged', resolved: 'Resolved', cleared: 'Cleared' },
  map: { sites: '{n} sites', layers: 'Layers', outline: 'District outline (offline)' },
  alerts: { title: 'Alerts', none: 'No open alerts', ack: 'Acknowledge', resolve: 'Resolve', note: 'Note', history: 'History', all: 'All', cancel: 'Cancel', submit: 'Submit', openedAt: 'Opened', site: 'Site', newCritical: 'New critical alert' },
  air: { title: 'Air quality', district: 'District', primary: 'Primary pollutant', unavailable: 'No valid data', hour: '{hour}:00' },
  goals: { title: 'Goals board', target: 'Target', met: 'Met', notMet: 'Not met', unknown: 'Not enough data', lastYear: 'Same period last year', tabAlerts: 'Alerts', tabGoals: 'Goals', tabReport: 'Report' },
  report: { title: 'Monthly report', month: 'Month', partial: 'The month is still running: figures so far', noData: 'No monitoring data for this month', archived: 'Archived', goodDays: 'Good-days ratio', composite: 'Composite index', sea: 'Sea good-quality ratio', wwtp: 'Plant compliance', alerts: 'Alerts', download: 'Download', open: 'Open in a new window', regenerate: 'Regenerate', regenerated: 'Regenerated', failed: 'Could not load' },
  admin: { title: 'Administration', back: 'Back to monitoring', users: 'Users', username: 'Username', password: 'Password', role: 'Role', create: 'Create', sites: 'Sites', id: 'Id', kind: 'Kind', nameZh: 'Chinese name', nameEn: 'English name', lat: 'Latitude', lon: 'Longitude', retire: 'Retire', rules: 'Alert rules', enabled: 'Enabled', deadLetters: 'Rejected messages', reason: 'Reason', done: 'Saved', viewer: 'Viewer', operator: 'Operator', adminRole: 'Admin' },
  password: {
    title: 'Change password', forced: 'Your password was set by an administrator: choose your own before you continue.', current: 'Current password', next: 'New password', confirm: 'New password again', submit: 'Change password',
    mismatch: 'The two new passwords differ', changed: 'Password changed; your sessions on other devices have ended', back: 'Back to monitoring', failed: 'Not changed: {message}',
    policy: 'Password rules', ruleLength: 'At least 10 characters', ruleKinds: 'Three of: lower case, upper case, digits, symbols (any passphrase of 16 characters or more)', ruleCommon: 'Not a common password', ruleUsername: 'Does not contain the username',
  },
  serverMessage: {
    currentWrong: 'The current password is wrong', mustDiffer: 'The new password must differ from the current one', tooShort: 'The password needs at least 10 characters', tooCommon: 'This password is too common: choose another', fewChars: 'The password has too few different characters',
    hasUsername: 'The password must not contain the username', kinds: 'Use three of: lower case, upper case, digits, symbols (or at least 16 characters)', lastAdmin: 'The last enabled admin cannot be demoted, disabled or removed',
    disableSelf: 'You cannot disable your own account', removeSelf: 'You cannot remove your own account', usernameTaken: 'That username exists (case is ignored)', usernameFormat: 'Usernames are 3–64 letters, digits, _ . -',
  },
  users: {
    title: 'Users', username: 'Username', role: 'Role', status: 'Status', enabled: 'Enabled', disabled: 'Disabled', mustChange: 'Must change password', created: 'Created', passwordChanged: 'Password changed', actions: 'Actions',
    disable: 'Disable', enable: 'Enable', resetPassword: 'Reset password', delete: 'Delete', newPassword: 'New password', setPassword: 'Set', cancel: 'Cancel', you: ' (you)',
    confirmDelete: 'Delete the user “{name}”? Their sessions end at once; this cannot be undone.', confirmDeleteYes: 'Delete {name}', resetFor: 'New password for “{name}” (they must change it at next sign-in)',
    create: 'Create user', mustChangeAtFirst: 'Must change password at first sign-in', failed: 'Failed: {message}', done: 'Saved',
  },
  audit: {
    title: 'Audit log', actor: 'Actor', action: 'Action', anyAction: 'All actions', outcome: 'Outcome', anyOutcome: 'All outcomes', from: 'From', to: 'To', filter: 'Filter', clear: 'Clear',
    older: 'Older entries', none: 'No matching entries', time: 'Time (Beijing)', target: 'Target', ip: 'IP', detail: 'Detail', failed: 'Could not load the audit log: {message}',
    outcomes: { ok: 'OK', denied: 'Denied', failed: 'Failed' },
    groups: { auth: 'Sign-in and passwords (all)', user: 'User management (all)' },
    actions: { auth_login: 'Sign-in', auth_logout: 'Sign-out', auth_password_change: 'Own password changed', user_create: 'User created', user_update: 'User changed', user_reset_password: 'Password reset', user_delete: 'User deleted', site_create: 'Site added', site_update: 'Site changed', site_retire: 'Site retired', credential_issue: 'Device credential issued', credential_revoke: 'Device credential revoked', rule_create: 'Rule added', rule_update: 'Rule changed', rule_override: 'Site rule set', rule_remove_override: 'Site rule removed', alert_acknowledge: 'Alert acknowledged', alert_resolve: 'Alert resolved', alert_assign: 'Alert assigned', alert_comment: 'Alert comment', report_regenerate: 'Report regenerated', review_mark: 'Data marked invalid', review_withdraw: 'Data review mark withdrawn' },
  },
  site: { latest: 'Newest values', lastSeen: 'Last data', events: 'Recent events', close: 'Close', range24h: '24 h', range7d: '7 days', range30d: '30 days', noData: 'No data yet', indicator: 'Assessment' },
};
