/** Worker thread entry: renders report documents off the hub's event loop. */
import { renderDocument, type RenderJob } from './render-document.js';
import { answerTasks } from './worker-pool.js';

answerTasks<RenderJob>(renderDocument);
