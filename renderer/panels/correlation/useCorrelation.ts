/** The correlation panel's data: the chain of a target and, for an entity, its summary under the filter. */
import type { ApiResponse } from '../../../shared/api';
import type { Correlation } from '../../../shared/correlation';
import type { Filter } from '../../../shared/domain';
import { call } from '../../api';
import { useKeyedFetch, type FetchState } from '../../hooks/useKeyedFetch';
import { filterKey } from '../../store/filterOps';
import { chainRequest, targetKey, type Target } from './target';

export interface CorrelationData {
  readonly chain: FetchState<Correlation>;
  readonly entity: FetchState<ApiResponse<'correlate:entity'>>;
  /** False for a user agent, which has no credential chain. */
  readonly hasChain: boolean;
}

export function useCorrelation(target: Target | null, filter: Filter, dataVersion: number): CorrelationData {
  const by = target ? chainRequest(target) : null;
  const chain = useKeyedFetch(by ? `${JSON.stringify(by)}:${dataVersion}` : null, () => call('correlate:chain', { by: by ?? { session: 1 } }));
  const kind = target && target.kind !== 'session' ? target.kind : null;
  const entity = useKeyedFetch(kind && target ? `${targetKey(target)}:${filterKey(filter)}:${dataVersion}` : null, () =>
    call('correlate:entity', { kind: kind ?? 'accessKey', value: target?.value ?? '', filter }),
  );
  return { chain, entity, hasChain: by !== null };
}
