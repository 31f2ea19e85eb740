import './styles.css';
import { KatesProvider } from '@kates/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connect, connectionOf } from './cluster.js';
import { atMostEvery } from './notify.js';

const accumulator = connect('', connectionOf(location.search));
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <KatesProvider accumulator={accumulator} notify={atMostEvery(100)}>
      <App />
    </KatesProvider>
  </StrictMode>,
);
