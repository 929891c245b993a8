// The phrases moved to model/spelling.ts, the one place the model is spelled,
// so that the driver skeleton's comments (src/emit) read like these reports.
export { cubesPhrase } from '../model/spelling.js';
