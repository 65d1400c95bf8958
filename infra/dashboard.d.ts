/** Types of infra/dashboard.js (CommonJS, loaded by osls as a `file` variable source), for the tests. */
export interface DashboardWidget {
  type: 'metric' | 'log';
  properties: { title: string; metrics?: (string | Record<string, unknown>)[][]; query?: string } & Record<string, unknown>;
}

export declare function dashboard(stage: string, namespace: string): { widgets: DashboardWidget[] };
