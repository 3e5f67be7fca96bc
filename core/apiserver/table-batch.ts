/** Table cells of `batch/v1` Job and CronJob, following kubectl's printers (printJob, printCronJob in 1.32). */
import type { KubeObject } from '../api/index.js';
import { humanDuration, since } from './age.js';
import { arr, num, rec, selectorString, str } from './table-cells.js';

const spec = (o: KubeObject): Record<string, unknown> => rec(o.spec);
const status = (o: KubeObject): Record<string, unknown> => rec(o.status);
const hasCondition = (o: KubeObject, type: string): boolean => arr(status(o).conditions).map(rec).some((c) => c.type === type && c.status === 'True');

export function jobStatus(o: KubeObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

export function jobCompletions(o: KubeObject): string {
  const succeeded = num(status(o).succeeded);
  const completions = spec(o).completions;
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  const parallelism = num(spec(o).parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(o: KubeObject, now: number): string {
  const start = Date.parse(str(status(o).startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(status(o).completionTime));
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export function cronJobSuspend(o: KubeObject): string {
  const s = spec(o).suspend;
  return typeof s === 'boolean' ? (s ? 'True' : 'False') : '<unset>';
}

export function cronJobLastSchedule(o: KubeObject, now: number): string {
  const t = status(o).lastScheduleTime;
  return typeof t === 'string' && t !== '' ? since(t, now) : '<none>';
}

export const cronJobActive = (o: KubeObject): number => arr(status(o).active).length;
export const cronJobSelector = (o: KubeObject): string => selectorString(rec(rec(spec(o).jobTemplate).spec).selector);
