/** The contract's lesson.* requests over the engine (the host service spreads these into its handlers). */
import type { Params, ResultOf } from '../contract/contract.ts';
import type { LessonControls } from './engine.ts';
import { withPackFiles } from './upload.ts';

type LessonRequest = 'lesson.list' | 'lesson.get' | 'lesson.start' | 'lesson.status' | 'lesson.page' | 'lesson.check' | 'lesson.next' | 'lesson.previous' | 'lesson.reset' | 'lesson.progress' | 'lesson.import' | 'lesson.importFiles' | 'lesson.setLanguage';

export type LessonHandlers = { [N in LessonRequest]: (p: Params<N>) => Promise<ResultOf<N>> | ResultOf<N> };

export function lessonHandlers(get: () => LessonControls | undefined): LessonHandlers {
  const engine = () => {
    const e = get();
    if (!e) throw new Error('lessons are not available');
    return e;
  };
  return {
    'lesson.list': ({ lang }) => engine().list(lang),
    'lesson.get': ({ id, lang }) => engine().get(id, lang),
    'lesson.start': ({ id, lang, runForeground }) => engine().start(id, { lang, runForeground }),
    'lesson.status': ({ lang }) => engine().status(lang),
    'lesson.page': ({ step, lang }) => engine().page(step, lang),
    'lesson.check': ({ lang }) => engine().check(lang),
    'lesson.next': ({ lang }) => engine().next(lang),
    'lesson.previous': ({ lang }) => engine().previous(lang),
    'lesson.reset': ({ lang, runForeground }) => engine().reset({ lang, runForeground }),
    'lesson.progress': ({ learner }) => engine().exportProgress(learner),
    'lesson.import': ({ path, lang }) => engine().importPack(path, lang),
    'lesson.importFiles': ({ files, lang }) => withPackFiles(files, (path) => engine().importPack(path, lang)),
    'lesson.setLanguage': ({ lang }) => (engine().setLanguage(lang), null),
  };
}
