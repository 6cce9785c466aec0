import type { Alert } from '../stores/alerts';

/** An alert record as the API sends it. */
export const alert = (id: number, severity: Alert['severity'], opened: string, state: Alert['state'] = 'active'): Alert => ({
  id,
  site: 'gas-a',
  site_name_zh: '燃气点',
  site_name_en: 'Gas point',
  kind: 'gas_point',
  rule: 'gas-lel',
  severity,
  state,
  cleared: false,
  title_zh: '可燃气体浓度超限',
  title_en: 'Combustible gas',
  detail: {},
  opened_at: opened,
  cleared_at: null,
  last_triggered_at: opened,
  triggers: 1,
  acknowledged_at: null,
  acknowledged_by: null,
  resolved_at: null,
  resolved_by: null,
  assigned_to: null,
  escalation_level: 0,
  announced_at: opened,
});
