"""The command line, one thin module per verb: cli (build, check, new, init, clean, send),
serve (the live preview), scaffold (new/init), linkcheck (check --external), catalogs
(translation catalogs). Commands call the stages; no stage imports a command."""
