import { type ReactNode, StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Inspector } from '../Inspector.js';
import './styles.css';

/** Loads the recording the CLI serves, or one picked from disk. */
function App(): ReactNode {
  const [loaded, setLoaded] = useState<{ text: string; name: string } | { error: string } | undefined>();
  useEffect(() => {
    fetch('recording.jsonl')
      .then(async (res) => {
        if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
        setLoaded({ text: await res.text(), name: res.headers.get('x-kates-recording') ?? 'recording' });
      })
      .catch((e: Error) => setLoaded({ error: `no recording served (${e.message}): open one below` }));
  }, []);
  const open = (file: File | undefined) => file?.text().then((text) => setLoaded({ text, name: file.name }));
  return (
    <>
      <div className="open">
        <label>
          Open a recording:{' '}
          <input type="file" accept=".jsonl,.json,.txt" onChange={(e) => open(e.target.files?.[0])} />
        </label>
      </div>
      {!loaded ? (
        <p>Loading…</p>
      ) : 'error' in loaded ? (
        <p className="error">{loaded.error}</p>
      ) : (
        <Inspector key={loaded.name + loaded.text.length} recording={loaded.text} name={loaded.name} />
      )}
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
