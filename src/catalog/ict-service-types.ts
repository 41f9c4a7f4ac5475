/**
 * DORA Register of Information ICT service types (Implementing Regulation (EU) 2024/2956,
 * closed list used in templates B_02.02 and B_07.01).
 */
export const ICT_SERVICE_TYPES = {
  S01: 'ICT project management',
  S02: 'ICT development',
  S03: 'ICT help desk and first level support',
  S04: 'ICT security management services',
  S05: 'Provision of data',
  S06: 'Data analysis',
  S07: 'ICT, facilities and hosting services (excluding cloud services)',
  S08: 'Computation',
  S09: 'Non-cloud data storage',
  S10: 'Telecom carrier',
  S11: 'Network infrastructure',
  S12: 'Hardware and physical devices',
  S13: 'Software licensing (excluding SaaS)',
  S14: 'ICT operation management (including maintenance)',
  S15: 'ICT consulting',
  S16: 'ICT risk management',
  S17: 'Cloud services: IaaS',
  S18: 'Cloud services: PaaS',
  S19: 'Cloud services: SaaS',
} as const;

export type IctServiceType = keyof typeof ICT_SERVICE_TYPES;
export const ICT_SERVICE_TYPE_CODES = Object.keys(ICT_SERVICE_TYPES) as IctServiceType[];
