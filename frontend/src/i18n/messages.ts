/** Interface text, Chinese first (the duty room reads Chinese), English beside it. */
export const zh = {
  app: { title: '潮汐守望 · 高新区环境与安全监测', short: '潮汐守望' },
  login: { title: '登录', username: '用户名', password: '密码', submit: '登录', failed: '用户名或密码错误', tooMany: '尝试次数过多，请稍后再试' },
  nav: { logout: '退出', language: 'English', live: '实时连接', offline: '连接中断', reconnecting: '正在重连…' },
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
  site: { latest: '最新数值', lastSeen: '最近数据', events: '近期事件', close: '关闭', range24h: '24小时', range7d: '7天', range30d: '30天', noData: '暂无数据', indicator: '评价' },
};

export type Messages = typeof zh;

export const en: Messages = {
  app: { title: 'Tidewatch · Hi-tech Zone environment & safety', short: 'Tidewatch' },
  login: { title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in', failed: 'Wrong username or password', tooMany: 'Too many attempts; try again later' },
  nav: { logout: 'Log out', language: '中文', live: 'Live', offline: 'Disconnected', reconnecting: 'Reconnecting…' },
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
  site: { latest: 'Newest values', lastSeen: 'Last data', events: 'Recent events', close: 'Close', range24h: '24 h', range7d: '7 days', range30d: '30 days', noData: 'No data yet', indicator: 'Assessment' },
};
