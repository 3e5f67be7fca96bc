/** Schema for apps/v1 ControllerRevision. */
import { int64, preserve } from './dsl.js';
import { kindSchema } from './meta.js';

export const controllerRevisionSchema = kindSchema({ data: preserve(), revision: int64() }, ['revision']);
