/**
 * What the hub stores as codes, said in words of the page language: alert history steps,
 * device events and their data, 0/1 metrics, dead-letter reasons, audit details. Pure: each
 * takes the page's `t` (vue-i18n) so it is tested without a page.
 */
import { REVIEW_REASON_NAMES } from '@tidewatch/contracts';
import { formatStamp } from './index';
import { en, zh } from './messages';

type Translate = (key: string, values?: Record<string, unknown>) => string;
type Has = (key: string) => boolean;
export interface Words {
  t: Translate;
  te: Has;
}

/** The page's words without a component (map popups, chart labels): the same messages, `{name}` filled in. */
export function wordsOf(lang: string): Words {
  const root: unknown = lang === 'zh' ? zh : en;
  const find = (key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), root);
  return {
    te: (key) => typeof find(key) === 'string',
    t: (key, values = {}) => {
      const text = find(key);
      return typeof text === 'string' ? text.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all)) : key;
    },
  };
}

/** A code's words when the messages have them, else `fallback` (never the raw code). */
function word(w: Words, key: string, fallback: string): string {
  return w.te(key) ? w.t(key) : w.t(fallback);
}

/** One step of an alert's history: "确认", "级别升高（重要 → 紧急）", "指派（指派给 ops）". */
export function historyActionText(entry: { action: string; data?: Record<string, unknown> }, w: Words): string {
  const name = word(w, `history.actions.${entry.action}`, 'history.unknown');
  const d = entry.data ?? {};
  const extra: string[] = [];
  if ((entry.action === 'severity_raised' || entry.action === 'raised') && typeof d.from === 'string' && typeof d.to === 'string') {
    extra.push(w.t('history.raisedTo', { from: word(w, `severity.${d.from}`, 'history.unknown'), to: word(w, `severity.${d.to}`, 'history.unknown') }));
  }
  const lead = d.bulk ? `${name}${w.t('history.bulk')}` : name;
  // An assignment names the person, and says when the duty roster made it.
  if (entry.action === 'assigned' && typeof d.assignee === 'string') return w.t('history.assignee', { name: lead, assignee: d.assignee }) + (d.reason === 'roster' ? w.t('assign.byRoster') : '');
  return extra.length ? w.t('history.detail', { name: lead, extra: extra.join(w.t('event.sep')) }) : lead;
}

/** The 0/1 metrics as words: a pump fault 故障/正常, a valve 开/关, smoke 有烟雾/无烟雾; others 是/否. */
const BOOLEAN_WORDS: Record<string, [off: string, on: string]> = {
  pump_fault: ['values.normal', 'values.fault'],
  valve_open: ['values.closed', 'values.open'],
  smoke: ['values.noSmoke', 'values.smoke'],
};

export function booleanValueText(metric: string, value: number, w: Pick<Words, 't'>): string {
  const [off, on] = BOOLEAN_WORDS[metric] ?? ['values.no', 'values.yes'];
  return w.t(value ? on : off);
}

/** A text of event data: a string as it is (a vessel, a hazard, a name), anything else in JSON-free words. */
function plain(v: unknown, w: Words): string {
  if (typeof v === 'boolean') return w.t(v ? 'values.yes' : 'values.no');
  if (Array.isArray(v)) return v.map((x) => plain(x, w)).join(w.t('event.listSep'));
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).map((x) => plain(x, w)).join(w.t('event.listSep'));
  return String(v);
}

/**
 * A device event in words (docs/contract.md §2.3): "安全检查：船只 辽大渔15001，检查不合格，隐患：救生衣不足".
 * Fields the contract does not name are left out, so no raw key reaches the page.
 */
export function eventText(e: { type: string; data: Record<string, unknown> }, w: Words): string {
  const d = e.data ?? {};
  const parts: string[] = [];
  const field = (key: string, v: unknown): void => {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return;
    parts.push(w.t(`event.${key}`, { v: plain(v, w) }));
  };
  field('vessel', d.vessel);
  if (d.result === 'pass' || d.result === 'fail') parts.push(w.t(`event.${d.result}`));
  // The hazards a port's devices report by code (simulators' HAZARDS) in words; anything else is the inspector's own text.
  const hazard = (h: unknown): unknown => (typeof h === 'string' && w.te(`event.hazardNames.${h}`) ? w.t(`event.hazardNames.${h}`) : h);
  field('hazards', Array.isArray(d.hazards) ? d.hazards.map(hazard) : d.hazards);
  field('hazard', hazard(d.hazard));
  field('ref', d.ref);
  field('inspector', d.inspector);
  field('pump', d.pump);
  field('code', d.code);
  field('level', d.level);
  const name = word(w, `event.types.${e.type}`, 'event.unknown');
  return parts.length ? w.t('event.line', { name, parts: parts.join(w.t('event.sep')) }) : name;
}

/** A dead letter's reason code (docs/contract.md §2.6) in words. */
export function deadLetterReasonText(reason: string, w: Words): string {
  return word(w, `deadLetter.reasons.${reason}`, 'deadLetter.unknown');
}

/** An audit entry's target (`id=5 site=air-hekou`) with its keys in words; `names` gives user names by id. */
export function auditTargetText(target: string | null, w: Words, names: Map<string, string> = new Map()): string {
  if (!target) return '—';
  return target
    .split(' ')
    .map((part) => {
      const [key, value = ''] = part.split('=');
      const named = w.te(`auditDetail.keys.${key}`) ? `${w.t(`auditDetail.keys.${key}`)} ${value}` : part;
      return key === 'id' && names.has(value) ? w.t('auditDetail.named', { name: names.get(value), id: named }) : named;
    })
    .join(w.t('auditDetail.sep'));
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/**
 * An audit entry's detail (the masked request body, and on a refusal its status and error) in
 * words: known keys named, booleans 是/否, a refusal's English error said in the page language.
 */
export function auditDetailText(detail: Record<string, unknown> | null, w: Words, errorText: (message: string, status: number | null) => string): string {
  if (!detail || Object.keys(detail).length === 0) return '—';
  const status = typeof detail.status === 'number' ? detail.status : null;
  return Object.entries(detail)
    // An empty field (a blank note) says nothing.
    .filter(([, v]) => v !== '' && v !== null && v !== undefined)
    .map(([key, v]) => {
      const name = w.te(`auditDetail.keys.${key}`) ? w.t(`auditDetail.keys.${key}`) : key;
      if (key === 'error') return `${name} ${errorText(String(v), status)}`;
      if (key === 'truncated') return name;
      if (v === '***') return `${name}${w.t('auditDetail.masked')}`;
      if (key === 'role' && typeof v === 'string' && w.te(`roles.${v}`)) return `${name} ${w.t(`roles.${v}`)}`;
      if (key === 'area' && typeof v === 'string' && w.te(`duty.areas.${v}`)) return `${name} ${w.t(`duty.areas.${v}`)}`;
      if (key === 'reason' && typeof v === 'string' && Object.hasOwn(REVIEW_REASON_NAMES, v)) return `${name} ${REVIEW_REASON_NAMES[v as keyof typeof REVIEW_REASON_NAMES][w.t('meta.lang') === 'zh' ? 'zh' : 'en']}`;
      if (typeof v === 'string' && ISO_INSTANT.test(v)) return `${name} ${formatStamp(v)}`;
      return `${name} ${plain(v, w)}`;
    })
    .join(w.t('auditDetail.sep'));
}
