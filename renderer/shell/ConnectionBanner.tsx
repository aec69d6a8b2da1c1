import { useEffect, useState } from 'react';
import { onConnection } from '../api';
import { useAppStore } from '../store/context';

/**
 * Says so when web mode loses its engine connection. When it is back, everything is fetched again:
 * pushes sent while the socket was down (an import finishing) were lost.
 */
export function ConnectionBanner() {
  const store = useAppStore();
  const [down, setDown] = useState(false);
  useEffect(
    () =>
      onConnection((connected) => {
        setDown(!connected);
        if (connected) store.getState().dataChanged();
      }),
    [store],
  );
  if (!down) return null;
  return (
    <div className="connection-banner" role="alert">
      The connection to the Cairn engine was lost. Reconnecting…
    </div>
  );
}
