import { describe, expect, it } from 'vitest';
import { publicParams } from './public-params.js';

describe('site parameters by role', () => {
  const plant = { standard: 'GB18918-1A', hj212_mn: '010000A8900016F000169DC0', hj212_pw: '123456', design_flow_m3d: 60000 };

  it('shows an admin everything', () => {
    expect(publicParams(plant, 'admin')).toEqual(plant);
  });

  it('hides the HJ 212 MN and password from operators, viewers and an unknown caller', () => {
    for (const role of ['operator', 'viewer', undefined] as const) {
      expect(publicParams(plant, role)).toEqual({ standard: 'GB18918-1A', design_flow_m3d: 60000 });
    }
  });

  it('leaves the site’s own object alone and passes other sites through', () => {
    publicParams(plant, 'viewer');
    expect(plant.hj212_pw).toBe('123456');
    const river = { target_class: 'III' };
    expect(publicParams(river, 'viewer')).toBe(river);
  });
});
