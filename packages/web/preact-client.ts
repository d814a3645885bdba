/**
 * `react-dom/client` in the build (react-runtime.ts): preact/compat's `createRoot`, with React's
 * timing for the effects of what a person does.
 *
 * React runs the effects (`useEffect`) of a render caused by a discrete event (a click, a key, an
 * input) before the browser handles the next event; Preact runs every effect after the next frame.
 * Code written against React relies on the first: Downshift reports a chosen option from an effect
 * (`onSelectedItemChange`), so on Preact's timing a tap on a mention and a key typed right after it
 * could reach the textarea in the wrong order, and a form submitted at once could miss the choice.
 * Here the effects of a render that follows a discrete event run in a microtask, after that render
 * and before the next event; other renders (a query's answer, a timer) keep Preact's after-paint
 * timing, so the first paint does not wait for effects.
 */
import { options } from "preact";

export { createRoot, hydrateRoot } from "preact/compat/client";

/** React's discrete events (DiscreteEventPriority in react-dom), those a person's action sends. */
const DISCRETE = [
  "beforeinput",
  "change",
  "click",
  "compositionend",
  "compositionstart",
  "contextmenu",
  "copy",
  "cut",
  "dblclick",
  "focusin",
  "focusout",
  "input",
  "keydown",
  "keyup",
  "paste",
  "pointerdown",
  "pointerup",
  "reset",
  "submit",
  "touchend",
  "touchstart",
];

/** Set from a discrete event until the tasks it queued have run. */
let discrete = false;
const endOfEvent = new MessageChannel();
endOfEvent.port1.onmessage = () => {
  discrete = false;
};
for (const type of DISCRETE) {
  addEventListener(
    type,
    () => {
      if (discrete) return;
      discrete = true;
      endOfEvent.port2.postMessage(null);
    },
    { capture: true, passive: true },
  );
}

/** After the next frame, as Preact does by default (and within 35 ms when frames stop, in a hidden tab). */
function afterNextFrame(flush: () => void) {
  let frame = 0;
  const done = () => {
    clearTimeout(timeout);
    cancelAnimationFrame(frame);
    setTimeout(flush);
  };
  const timeout = setTimeout(done, 35);
  frame = requestAnimationFrame(done);
}

options.requestAnimationFrame = (flush: () => void) => (discrete ? queueMicrotask(flush) : afterNextFrame(flush));
