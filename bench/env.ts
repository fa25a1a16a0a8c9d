// Imported first by run.ts, before anything loads Ink/chalk: colour on, so that the frames carry
// the escapes a terminal gets (the cursor row is inverse) and the frame size is the real one.
process.env.FORCE_COLOR ??= "1";
