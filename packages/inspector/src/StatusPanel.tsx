import { useSyncStatus } from '@kates/react';
import type { ReactNode } from 'react';

/** Each query's status at the step shown, read through the kates hooks like a live dashboard. */
export function StatusPanel(): ReactNode {
  const { queries, failing } = useSyncStatus();
  return (
    <section className="panel" data-testid="statuses">
      <h2>Queries {failing.length > 0 && <span className="failing">({failing.length} failing)</span>}</h2>
      <table>
        <thead>
          <tr>
            <th>query</th>
            <th>phase</th>
            <th>objects</th>
            <th>resourceVersion</th>
            <th>error</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(queries).map(([name, st]) => (
            <tr key={name} data-testid={`status-${name}`} data-phase={st.phase}>
              <td>{name}</td>
              <td className={`phase ${st.phase}`}>{st.phase}</td>
              <td>{st.count}</td>
              <td>{st.resourceVersion}</td>
              <td className="error">{st.error?.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
