import type { RuleInput } from './rule-model.js';

/**
 * The rules every site kind gets out of the box (docs/standards.md §10: national levels of
 * §4–8 and the district's settings). Admins may change or disable them and override them
 * per site.
 */
export const DEFAULT_RULES: RuleInput[] = [
  {
    id: 'gas-lel',
    kind: 'gas_point',
    name_zh: '可燃气体浓度报警',
    name_en: 'Combustible gas',
    enabled: true,
    definition: {
      title: { zh: '可燃气体浓度超限', en: 'Combustible gas above alarm level' },
      // GB/T 50493-2019 alarm levels; defaults 20 %LEL (first) and 50 %LEL (second). The
      // detector's own first and second alarms (gas_alarm level 1, 2) raise the same levels at
      // once, without waiting for its next reading, and hold for five minutes.
      levels: [
        {
          severity: 'critical',
          when: { type: 'any', of: [{ type: 'threshold', metric: 'ch4_lel_pct', op: 'gte', value: 50 }, { type: 'event', event: 'gas_alarm', where: { field: 'level', op: 'gte', value: 2 }, window_minutes: 5 }] },
        },
        {
          severity: 'major',
          when: { type: 'any', of: [{ type: 'threshold', metric: 'ch4_lel_pct', op: 'gte', value: 20 }, { type: 'event', event: 'gas_alarm', where: { field: 'level', op: 'gte', value: 1 }, window_minutes: 5 }] },
        },
      ],
      clear: { type: 'threshold', metric: 'ch4_lel_pct', op: 'lt', value: 15 },
    },
  },
  {
    id: 'gas-pressure',
    kind: 'gas_point',
    name_zh: '燃气压力异常',
    name_en: 'Gas pressure out of band',
    enabled: true,
    definition: {
      title: { zh: '燃气管道压力超出允许范围', en: 'Gas pressure outside its band' },
      levels: [{ severity: 'major', when: { type: 'band', metric: 'pressure_kpa', outside: { param: 'pressure_band_kpa' }, for_minutes: 1 } }],
    },
  },
  {
    id: 'gas-household-co',
    kind: 'gas_point',
    name_zh: '一氧化碳浓度报警',
    name_en: 'Carbon monoxide',
    enabled: true,
    definition: {
      title: { zh: '一氧化碳浓度超限', en: 'Carbon monoxide above alarm level' },
      // Household CO alarm levels are settings (50 and 150 ppm), not from a standard.
      levels: [
        { severity: 'critical', when: { type: 'threshold', metric: 'co_ppm', op: 'gte', value: 150 } },
        { severity: 'warning', when: { type: 'threshold', metric: 'co_ppm', op: 'gte', value: 50 } },
      ],
      clear: { type: 'threshold', metric: 'co_ppm', op: 'lt', value: 35 },
    },
  },
  {
    id: 'pump-level',
    kind: 'pump_station',
    name_zh: '集水井液位过高',
    name_en: 'Wet-well level high',
    enabled: true,
    definition: {
      title: { zh: '泵站液位过高，有溢流风险', en: 'Pump station level high: overflow risk' },
      levels: [
        { severity: 'critical', when: { type: 'threshold', metric: 'wet_well_level_m', op: 'gte', value: { param: 'overflow_level_m' } } },
        { severity: 'major', when: { type: 'threshold', metric: 'wet_well_level_m', op: 'gte', value: { param: 'high_level_m' } } },
      ],
    },
  },
  {
    id: 'pump-fault',
    kind: 'pump_station',
    name_zh: '水泵故障',
    name_en: 'Pump fault',
    enabled: true,
    definition: {
      title: { zh: '泵站水泵故障', en: 'Pump fault at the station' },
      // The station's fault flag, or a pump's own fault event until that pump recovers.
      levels: [
        {
          severity: 'major',
          when: { type: 'any', of: [{ type: 'threshold', metric: 'pump_fault', op: 'eq', value: 1 }, { type: 'event', event: 'pump_fault', until: 'pump_recovered', key: 'pump' }] },
        },
      ],
    },
  },
  {
    id: 'pump-h2s',
    kind: 'pump_station',
    name_zh: '硫化氢浓度高',
    name_en: 'Hydrogen sulphide',
    enabled: true,
    definition: {
      title: { zh: '泵站硫化氢浓度高', en: 'Hydrogen sulphide high at the station' },
      // Settings: 10 ppm (warning) and 20 ppm (major) for staff entering the station.
      levels: [
        { severity: 'major', when: { type: 'threshold', metric: 'h2s_ppm', op: 'gte', value: 20, for_minutes: 2 } },
        { severity: 'warning', when: { type: 'threshold', metric: 'h2s_ppm', op: 'gte', value: 10, for_minutes: 5 } },
      ],
    },
  },
  {
    id: 'wwtp-effluent',
    kind: 'wwtp',
    name_zh: '出水超标',
    name_en: 'Effluent over GB 18918 1A',
    enabled: true,
    definition: {
      title: { zh: '污水处理厂出水超过一级A标准（24小时均值）', en: 'Plant effluent over GB 18918 class 1A (24 h means)' },
      levels: [{ severity: 'major', when: { type: 'derived', value: 'effluent_exceedances', op: 'gt', threshold: 0 } }],
    },
  },
  {
    id: 'river-class',
    kind: 'river',
    name_zh: '河流水质未达目标',
    name_en: 'River below its target class',
    enabled: true,
    definition: {
      title: { zh: '断面水质劣于目标类别', en: 'River section worse than its target class' },
      levels: [{ severity: 'minor', when: { type: 'derived', value: 'water_grade_over_target', op: 'gt', threshold: 0, for_minutes: 30 } }],
    },
  },
  {
    id: 'sea-class',
    kind: 'seawater',
    name_zh: '近岸海域水质未达目标',
    name_en: 'Sea water below its target class',
    enabled: true,
    definition: {
      title: { zh: '近岸海域水质劣于目标类别', en: 'Near-shore water worse than its target class' },
      levels: [{ severity: 'minor', when: { type: 'derived', value: 'water_grade_over_target', op: 'gt', threshold: 0, for_minutes: 30 } }],
    },
  },
  {
    id: 'air-aqi',
    kind: 'air',
    name_zh: '空气质量指数超标',
    name_en: 'Air quality index high',
    enabled: true,
    definition: {
      title: { zh: '小时空气质量指数超过限值', en: 'Hourly AQI above its limit' },
      levels: [
        { severity: 'major', when: { type: 'derived', value: 'hourly_aqi', op: 'gt', threshold: 200 } },
        { severity: 'minor', when: { type: 'derived', value: 'hourly_aqi', op: 'gt', threshold: 100 } },
      ],
    },
  },
  {
    id: 'port-gale',
    kind: 'fishing_port',
    name_zh: '大风天气渔船未回港',
    name_en: 'Vessels at sea in strong wind',
    enabled: true,
    definition: {
      title: { zh: '大风天气仍有小型渔船在海上', en: 'Small vessels still at sea in strong wind' },
      levels: [
        {
          severity: 'critical',
          when: { type: 'all', of: [{ type: 'threshold', metric: 'wind_level', op: 'gte', value: 8 }, { type: 'threshold', metric: 'vessels_at_sea', op: 'gt', value: 0 }] },
        },
        {
          severity: 'major',
          when: { type: 'all', of: [{ type: 'threshold', metric: 'wind_level', op: 'gte', value: { param: 'small_vessel_wind_limit' } }, { type: 'threshold', metric: 'vessels_at_sea', op: 'gt', value: 0 }] },
        },
      ],
    },
  },
  {
    id: 'port-hazard',
    kind: 'fishing_port',
    name_zh: '隐患超期未整改',
    name_en: 'Inspection hazard not rectified',
    enabled: true,
    definition: {
      title: { zh: '渔船检查隐患超过7天未整改', en: 'Inspection hazard open for more than 7 days' },
      levels: [{ severity: 'major', when: { type: 'hazard_unrectified', days: 7 } }],
    },
  },
  {
    id: 'ebike-fire',
    kind: 'ebike_charging',
    name_zh: '充电棚火灾风险',
    name_en: 'Charging shed fire risk',
    enabled: true,
    definition: {
      title: { zh: '电动自行车充电棚温度过高或有烟雾', en: 'E-bike shed overheating or smoke' },
      levels: [
        { severity: 'critical', when: { type: 'any', of: [{ type: 'threshold', metric: 'smoke', op: 'eq', value: 1 }, { type: 'threshold', metric: 'temp_c', op: 'gte', value: 80 }] } },
        { severity: 'major', when: { type: 'threshold', metric: 'temp_c', op: 'gte', value: 60 } },
      ],
      clear: { type: 'all', of: [{ type: 'threshold', metric: 'smoke', op: 'eq', value: 0 }, { type: 'threshold', metric: 'temp_c', op: 'lt', value: 55 }] },
    },
  },
];

/** Every kind also gets a silence rule: no data for three nominal intervals. */
export const SILENCE_KINDS = ['air', 'pump_station', 'wwtp', 'river', 'seawater', 'gas_point', 'fishing_port', 'ebike_charging'] as const;
for (const kind of SILENCE_KINDS) {
  DEFAULT_RULES.push({
    id: `${kind.replace('_', '-')}-silent`,
    kind,
    name_zh: '监测点无数据',
    name_en: 'Site silent',
    enabled: true,
    definition: {
      title: { zh: '监测点超过3个上报周期无数据', en: 'No data for three reporting intervals' },
      levels: [{ severity: 'warning', when: { type: 'no_data', intervals: 3 } }],
    },
  });
}
