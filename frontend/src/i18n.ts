/** Interface words, Chinese first. The full dashboard moves these into vue-i18n. */
export const MESSAGES = {
  zh: {
    title: '潮汐守望 · 高新区环境与安全监测',
    login: '登录',
    username: '用户名',
    password: '密码',
    logout: '退出',
    sites: '监测点',
    kind: '类型',
    status: '状态',
    lastSeen: '最近数据',
    values: '最新数值',
    live: '实时连接',
    offlineLink: '连接中断',
    loginFailed: '用户名或密码错误',
    normal: '正常',
    warning: '预警',
    alarm: '报警',
    offline: '离线',
  },
  en: {
    title: 'Tidewatch · Hi-tech Zone environment & safety',
    login: 'Log in',
    username: 'Username',
    password: 'Password',
    logout: 'Log out',
    sites: 'Sites',
    kind: 'Kind',
    status: 'Status',
    lastSeen: 'Last data',
    values: 'Newest values',
    live: 'Live',
    offlineLink: 'Disconnected',
    loginFailed: 'Wrong username or password',
    normal: 'Normal',
    warning: 'Warning',
    alarm: 'Alarm',
    offline: 'Offline',
  },
} as const;
export const KIND_NAMES: Record<string, { zh: string; en: string }> = {
  air: { zh: '空气质量', en: 'Air quality' },
  pump_station: { zh: '污水泵站', en: 'Pump station' },
  wwtp: { zh: '污水处理厂', en: 'Wastewater plant' },
  river: { zh: '河流断面', en: 'River section' },
  seawater: { zh: '近岸海域', en: 'Near-shore sea' },
  gas_point: { zh: '燃气安全', en: 'Gas safety' },
  fishing_port: { zh: '渔港', en: 'Fishing port' },
  ebike_charging: { zh: '电动车充电棚', en: 'E-bike charging' },
};

/** Days and times are shown in the district's time zone, wherever the browser is. */
export const DISTRICT_TZ = 'Asia/Shanghai';

export type Lang = keyof typeof MESSAGES;
export type MessageKey = keyof (typeof MESSAGES)['zh'];
