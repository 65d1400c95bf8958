/**
 * The one table of metric names (shared/core/metric-names.json): the functions publish from it, `status` shows every
 * per-record outcome in it, and the dashboard (infra/dashboard.js) plots only names from it, and every one of them but
 * those listed here with the reason they are not plotted.
 */
import { dashboard } from '../../infra/dashboard.js';
import { allMetricNames, METRIC_NAMES, RECORD_OUTCOME_METRICS } from '../../shared/core/metric-names.js';
import { OUTCOME_METRICS } from '../../shared/core/status.js';


const NAMESPACE = 'ConnectSsoSync';

/** Published, deliberately not on the dashboard. */
const NOT_PLOTTED: Record<string, string> = {
  GroupsAssigned: 'a group assignment is rare (a reconcile found the group unassigned); its log line says it',
  KnownFailuresRepeated: 'a retry failing as remembered adds nothing: the first failure is in the dead-letter queue',
  DriftKnownFailures: 'status and the dead-letter queue list the known failures themselves',
};

function plottedNames(): string[] {
  return dashboard('test', NAMESPACE).widgets.flatMap((w) => (w.properties.metrics ?? []).filter((m) => m[0] === NAMESPACE).map((m) => String(m[1])));
}

describe('the metric names table', () => {
  it('names each metric once', () => {
    const names = allMetricNames();

    expect(names.length).toBeGreaterThanOrEqual(25);
    expect(new Set(names).size).toBe(names.length);
  });

  it('the dashboard plots only names of the table', () => {
    const table = new Set(allMetricNames());

    expect(plottedNames().filter((name) => !table.has(name))).toEqual([]);
  });

  it('the dashboard plots every name of the table but those not plotted on purpose', () => {
    const plotted = new Set(plottedNames());

    expect(allMetricNames().filter((name) => !plotted.has(name) && !(name in NOT_PLOTTED))).toEqual([]);
    expect(Object.keys(NOT_PLOTTED).filter((name) => plotted.has(name) || !allMetricNames().includes(name))).toEqual([]);
  });

  it('status shows every per-record outcome, and the dead-lettered as failed', () => {
    expect(OUTCOME_METRICS.map((m) => m.metric)).toEqual([...Object.values(RECORD_OUTCOME_METRICS), METRIC_NAMES.failures.deadLettered]);
    expect(OUTCOME_METRICS.map((m) => m.outcome)).toEqual(expect.arrayContaining(['unchanged', 'unmapped', 'failed']));
  });
});
