import type { SiteSnapshot } from '@tidewatch/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http';
import { indicatorText, metricValueText, valueLines } from '../components/site-text';
import { auditDetailText, auditTargetText, booleanValueText, deadLetterReasonText, eventText, historyActionText, wordsOf } from '../i18n/data-text';
import { formatDay } from '../i18n';
import { readableError } from '../i18n/server-messages';

const zh = wordsOf('zh');
const en = wordsOf('en');
const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

describe('alert history steps in words', () => {
  it('names every step the hub records, in both languages, never as its code', () => {
    // The actions written by backend/src/alerts (alerts.repository.ts, alert-actions.ts).
    const actions = ['opened', 'severity_raised', 'retriggered', 'cleared', 'escalated', 'reannounced', 'acknowledged', 'resolved', 'assigned', 'comment'];
    for (const action of actions) {
      const z = historyActionText({ action }, zh);
      const e = historyActionText({ action }, en);
      expect(z, action).toMatch(CJK);
      expect(z, action).not.toMatch(/[A-Za-z]/);
      expect(e, action).not.toMatch(CJK);
      expect(e, action).not.toBe(action);
      expect(e, action).not.toBe('Other step');
    }
    expect(historyActionText({ action: 'acknowledged' }, zh)).toBe('确认');
    expect(historyActionText({ action: 'comment' }, en)).toBe('Comment');
  });

  it('says what a raise and an assignment changed, and marks a bulk step', () => {
    expect(historyActionText({ action: 'severity_raised', data: { from: 'major', to: 'critical' } }, zh)).toBe('级别升高（重要 → 紧急）');
    expect(historyActionText({ action: 'severity_raised', data: { from: 'major', to: 'critical' } }, en)).toBe('Severity raised (Major → Critical)');
    expect(historyActionText({ action: 'assigned', data: { assignee: 'night-shift' } }, zh)).toBe('指派 → night-shift');
    expect(historyActionText({ action: 'assigned', data: { assignee: 'gas-first', reason: 'roster' } }, zh)).toBe('指派 → gas-first（按值班表）');
    expect(historyActionText({ action: 'resolved', data: { bulk: true } }, zh)).toBe('解决（批量）');
  });

  it('says an unknown step in words rather than showing its code', () => {
    expect(historyActionText({ action: 'teleported' }, zh)).toBe('其他操作');
    expect(historyActionText({ action: 'teleported' }, en)).toBe('Other step');
  });
});

describe('0/1 metrics in words', () => {
  it('a pump fault is 故障/正常, a valve 开/关, smoke 有烟雾/无烟雾, any other flag 是/否', () => {
    expect([booleanValueText('pump_fault', 1, zh), booleanValueText('pump_fault', 0, zh)]).toEqual(['故障', '正常']);
    expect([booleanValueText('valve_open', 1, zh), booleanValueText('valve_open', 0, zh)]).toEqual(['开', '关']);
    expect([booleanValueText('smoke', 1, zh), booleanValueText('smoke', 0, zh)]).toEqual(['有烟雾', '无烟雾']);
    expect([booleanValueText('door_open', 1, zh), booleanValueText('door_open', 0, zh)]).toEqual(['是', '否']);
    expect([booleanValueText('pump_fault', 1, en), booleanValueText('valve_open', 0, en)]).toEqual(['Fault', 'Closed']);
  });

  it('the newest values of a site say the words, and a Beaufort force in 级', () => {
    const site = {
      id: 'gas-1', kind: 'gas_point', latest: { valve_open: { value: 1, ts: '2026-12-01T00:00:00Z' }, ch4_lel_pct: { value: 3.25, ts: '2026-12-01T00:00:00Z' } },
    } as unknown as SiteSnapshot;
    expect(valueLines(site, 'zh').map((v) => `${v.label} ${v.value}`)).toEqual(['阀门开启 开', '可燃气体浓度 3.25 %LEL']);
    expect(valueLines(site, 'en').map((v) => `${v.label} ${v.value}`)).toEqual(['Valve open Open', 'Combustible gas 3.25 %LEL']);
    expect(metricValueText({ unit: 'Beaufort', integer: true }, 'wind_level', 6, 'zh')).toBe('6 级');
    expect(metricValueText({ unit: 'Beaufort', integer: true }, 'wind_level', 6, 'en')).toBe('force 6');
    expect(metricValueText({ unit: 'count', integer: true }, 'pumps_running', 3, 'zh')).toBe('3');
  });
});

describe('days with their year only when it is not this year', () => {
  it('shows MM-DD in this district year and the whole date in another', () => {
    const now = Date.parse('2026-01-02T04:00:00Z');
    expect(formatDay('2026-01-01', now)).toBe('01-01');
    expect(formatDay('2025-12-31', now)).toBe('2025-12-31');
    // 2025-12-31T20:00Z is already 2026 in the district.
    expect(formatDay('2025-12-31', Date.parse('2025-12-31T20:00:00Z'))).toBe('2025-12-31');
    expect(formatDay('2026-01-01', Date.parse('2025-12-31T20:00:00Z'))).toBe('01-01');
  });
});

describe('a plant’s effluent verdict', () => {
  it('names the parameters over the limit, not their metric names', () => {
    const ind = { type: 'effluent', standard: 'GB 18918-2002 1A', basis: 'last 24 h means', compliant: false, exceedances: [{ param: 'cod_mgl', value: 80, limit: '≤ 50' }, { param: 'bod5_mgl', value: 12, limit: '≤ 10' }] } as const;
    expect(indicatorText({ ...ind, exceedances: [...ind.exceedances] }, 'zh')).toBe('出水超标：化学需氧量、五日生化需氧量');
    expect(indicatorText({ ...ind, exceedances: [...ind.exceedances] }, 'en')).toBe('Over 1A: COD, BOD₅');
  });
});

describe('device events in words', () => {
  it('an inspection names the vessel, the result and the hazards, without JSON or field names', () => {
    const e = { type: 'inspection', data: { vessel: '辽大渔15001', result: 'fail', hazards: ['救生衣不足', '灭火器过期'], inspector: '王海' } };
    expect(eventText(e, zh)).toBe('安全检查：船只 辽大渔15001，检查不合格，隐患：救生衣不足、灭火器过期，检查人 王海');
    expect(eventText({ type: 'inspection', data: { vessel: 'Haixing 7', result: 'pass', hazards: [] } }, en)).toBe('Inspection: vessel Haixing 7, passed');
    // Hazards a device reports by code are said in words.
    expect(eventText({ type: 'inspection', data: { vessel: '辽大甘渔00007', result: 'fail', hazards: ['lifejackets', 'crew_insurance'] } }, zh)).toBe('安全检查：船只 辽大甘渔00007，检查不合格，隐患：救生衣、船员保险');
    expect(eventText({ type: 'rectified', data: { hazard: 'fire_extinguishers', vessel: 'Haixing 7' } }, en)).toBe('Hazard rectified: vessel Haixing 7, hazard fire extinguishers');
  });

  it('a pump fault, a gas alarm and a rectification', () => {
    expect(eventText({ type: 'pump_fault', data: { pump: 2, code: 'E12' } }, zh)).toBe('水泵故障：2 号泵，故障代码 E12');
    expect(eventText({ type: 'gas_alarm', data: { level: 2 } }, zh)).toBe('燃气报警：2 级报警');
    expect(eventText({ type: 'gas_alarm', data: { level: 2 } }, en)).toBe('Gas alarm: level 2');
    expect(eventText({ type: 'rectified', data: { hazard: '灭火器过期', ref: 'ZG-7' } }, zh)).toBe('隐患整改：隐患 灭火器过期，编号 ZG-7');
  });

  it('an unknown event type or field shows no code', () => {
    expect(eventText({ type: 'meteor', data: { impact: true } }, zh)).toBe('其他事件');
    expect(eventText({ type: 'departure', data: {} }, zh)).toBe('船只出港');
  });
});

describe('dead-letter reasons in words', () => {
  it('every reason of docs/contract.md §2.6 has words in both languages', () => {
    const reasons = ['bad_topic', 'unknown_site', 'oversized', 'malformed_json', 'invalid_payload', 'too_many_readings', 'unknown_metric', 'wrong_type', 'nan', 'out_of_range', 'bad_timestamp', 'unknown_event_type', 'invalid_event', 'bad_status', 'not_authorized', 'bad_frame', 'bad_flag'];
    for (const r of reasons) {
      expect(deadLetterReasonText(r, zh), r).toMatch(CJK);
      expect(deadLetterReasonText(r, en), r).not.toMatch(CJK);
      expect(deadLetterReasonText(r, en), r).not.toBe(deadLetterReasonText('no_such_reason', en));
    }
    expect(deadLetterReasonText('malformed_json', zh)).toBe('不是有效的 JSON');
    expect(deadLetterReasonText('no_such_reason', zh)).toBe('其他原因');
  });
});

describe('audit entries in words', () => {
  const errorText = (m: string, status: number | null): string => readableError(new ApiError(status ?? 0, m), zh.t, 'zh');
  it('names the keys, says booleans and roles, hides masked secrets, and says a refusal in Chinese', () => {
    expect(auditDetailText({ role: 'viewer', disabled: true, password: '***' }, zh, errorText)).toBe('角色 查看；停用 是；密码（已隐去）');
    expect(auditDetailText({ status: 409, error: 'you cannot disable your own account' }, zh, errorText)).toBe('状态码 409；错误 不能停用自己的账号');
    expect(auditDetailText({ status: 400, error: 'something new went wrong' }, zh, errorText)).toBe('状态码 400；错误 请求无效，请检查填写的内容');
    expect(auditDetailText({}, zh, errorText)).toBe('—');
    expect(auditDetailText({ from: '2025-03-01T02:00:00.000Z', reason: 'calibration' }, zh, errorText)).toBe('起 2025-03-01 10:00:00；原因 校准');
    expect(auditDetailText({ reason: 'calibration' }, en, errorText)).toBe('reason Calibration');
    // A roster shift (duty areas in words).
    expect(auditDetailText({ area: 'gas', position: 1 }, zh, errorText)).toBe('值班区域 燃气；顺位 1');
    expect(auditDetailText({ note: '', role: 'admin' }, zh, errorText)).toBe('角色 管理');
  });

  it('names a target’s keys and a user by name', () => {
    expect(auditTargetText('id=3', zh, new Map([['3', 'night-shift']]))).toBe('night-shift（编号 3）');
    expect(auditTargetText('id=pm-rule site=air-hekou', zh)).toBe('编号 pm-rule；监测点 air-hekou');
    expect(auditTargetText(null, zh)).toBe('—');
  });
});

describe('server errors on the page', () => {
  const t = zh.t;
  it('a known refusal is said in the page language', () => {
    expect(readableError(new ApiError(400, 'the current password is wrong'), t, 'zh')).toBe('当前密码错误');
    expect(readableError(new ApiError(409, 'the alert is resolved'), t, 'zh')).toBe('告警已是“已解决”状态，无法执行此操作');
    expect(readableError(new ApiError(409, 'the alert is resolved'), en.t, 'en')).toBe('The alert is Resolved: this cannot be done');
    // By the hub's stable code first, whatever its sentence.
    expect(readableError(new ApiError(409, 'anything at all', null, 'condition_active'), t, 'zh')).toBe('告警条件仍然存在');
  });

  it('an unknown English sentence never reaches the Chinese page: it is said by its status', () => {
    expect(readableError(new ApiError(404, 'no site nowhere'), t, 'zh')).toBe('要查找的内容不存在');
    expect(readableError(new ApiError(502, 'Bad Gateway'), t, 'zh')).toBe('监测中心内部错误，请稍后重试');
    expect(readableError(new TypeError('Failed to fetch'), t, 'zh')).toBe('无法连接监测中心');
    expect(readableError(new Error('oops'), t, 'zh')).toBe('操作未能完成');
    // The English page keeps the hub's own words.
    expect(readableError(new ApiError(404, 'no site nowhere'), en.t, 'en')).toBe('no site nowhere');
  });
});
