"""Stage 5, the build: sequence the stages (pipeline), declare what each output depends on
(depends), keep what can be reused (cache, uptodate), run work in parallel (parallel) and
write the output folders atomically (output)."""
