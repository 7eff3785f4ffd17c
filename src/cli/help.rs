//! The long help's words: what the tool is, its exit codes and, per command, examples (shown
//! by `--help`; `-h` shows the short help alone, as ripgrep does).

pub const LONG_ABOUT: &str = "Business cases for Technology Enabled Care (TEC) in English adult social care: \
five-year tables a finance officer can run, check against what councils published, and trust to \
the pound. Every number is an input with its provenance; money is exact (decimal), rounded half \
away from zero to the pound per line and year.";

pub const EXIT_CODES: &str = "Exit codes: 0 success; 1 a check failed (or solve found no switching value); 2 bad input or usage; 3 internal error.";

pub const EXAMPLES: &str = "\
Examples:
  tec-model run scenarios/leicestershire/scenario4.yaml
  tec-model run scenarios/leicestershire/scenario4.yaml -o case.csv -o case.json
  tec-model check fixtures
  tec-model simulate scenarios/leicestershire/scenario4-uncertain.yaml -n 1e6 --seed 42
  cat scenario.yaml | tec-model run -

Each command's --help has its own examples. `tec-model completions bash` and `tec-model man`
print a completion script and the manual page.

Exit codes: 0 success; 1 a check failed (or solve found no switching value); 2 bad input or
usage; 3 internal error.";

pub const RUN: &str = "\
Examples:
  tec-model run scenarios/leicestershire/scenario4.yaml
  tec-model run scenarios/leicestershire/scenario4.yaml --format markdown
  tec-model run scenarios/leicestershire/scenario4.yaml -o case.csv -o case.json -o -
  tec-model run scenarios/leicestershire/scenario4.yaml -o case.xlsx
  tec-model run - < scenarios/leicestershire/scenario4.yaml

A CSV file gets a UTF-8 byte-order mark so that Excel reads £ correctly (--no-bom to leave it
out); its last rows hold the summary (NPV, payback year, benefit per £1) and the rounding note.";

pub const CHECK: &str = "\
Examples:
  tec-model check fixtures
  tec-model check fixtures/leicestershire.yaml --format json -o check.json

Exits 1 if any published figure is not reproduced at its published precision; the output is
still written.";

pub const SIMULATE: &str = "\
Examples:
  tec-model simulate scenarios/leicestershire/scenario4-uncertain.yaml
  tec-model simulate scenarios/leicestershire/scenario4-uncertain.yaml -n 1e6 --seed 42 --target 2000000
  tec-model simulate FILE -n 1e7 -o risk.json -o risk.md --samples draws.csv
  tec-model simulate FILE --precision 5000
  tec-model simulate FILE -n 1e5 --seed 42 -o risk.xlsx -o fan.svg

A progress bar with the time left is shown on standard error when it is a terminal and the
run takes more than a second (-q hides it).";

pub const INPUTS: &str = "\
Examples:
  tec-model inputs scenarios/leicestershire/scenario4.yaml
  tec-model inputs scenarios/leicestershire/scenario4.yaml --format csv -o inputs.csv

The paths listed are the names --vary, --range and an `uncertain` section take.";

pub const COMPARE: &str = "\
Examples:
  tec-model compare scenarios/leicestershire/scenario1.yaml scenarios/leicestershire/scenario4.yaml
  tec-model compare scenarios/leicestershire/scenario*.yaml --format markdown -o compare.md
  tec-model compare --baseline scenarios/leicestershire/option1-retain-at-offer.yaml scenarios/leicestershire/option2-business-case.yaml -o options.xlsx";

pub const SWEEP: &str = "\
Examples:
  tec-model sweep scenarios/leicestershire/scenario4.yaml --vary users.attrition=0.1..0.3:3
  tec-model sweep FILE --vary benefits.care_hours.hours_per_week=1..3:5 --vary users.installs=500..900:3
  tec-model sweep FILE --vary users.installs=500,700,900 --outputs npv,payback_year -o grid.csv -o grid.json
  tec-model sweep FILE --vary users.attrition=0.1..0.3:3 --vary costs.technology.unit_cost=400..800:3 -o grid.xlsx

Without --format a sweep writes CSV, or a two-way table per output when two inputs vary. CSV and
JSON stream a chunk of 4,096 points at a time.

--points takes design points instead of a grid (a column per input path, a row per point):
  tec-model sweep scenarios/leicestershire/scenario4-uncertain.yaml --points points.csv -o runs.csv";

pub const TORNADO: &str = "\
Examples:
  tec-model tornado scenarios/leicestershire/scenario4.yaml
  tec-model tornado FILE --range users.attrition=0.1..0.35 --range users.installs=500..900
  tec-model tornado FILE --output-measure summary.npv --format csv
  tec-model tornado FILE -o tornado.svg
  tec-model tornado FILE -o tornado.xlsx";

pub const REPORT: &str = "\
Examples:
  tec-model report scenarios/leicestershire/scenario4.yaml -o report.html
  tec-model report FILE --simulate 10000 --seed 7 --fixtures fixtures -o report.html";

pub const SOLVE: &str = "\
Examples:
  tec-model solve scenarios/leicestershire/scenario4.yaml --vary benefits.care_hours.hours_per_week --target summary.cumulative_net=2000000
  tec-model solve FILE --vary users.attrition --target npv=0 --format json

Exits 1 when no allowed value of the input meets the target.";

pub const SENSITIVITY: &str = "\
Examples:
  tec-model sensitivity scenarios/leicestershire/scenario4-uncertain.yaml
  tec-model sensitivity FILE --output-measure cumulative_net -n 8192 --seed 7 --sampling sobol
  tec-model sensitivity FILE --output-measure npv,cumulative_net -o indices.csv -o indices.json

Inputs correlated in the `uncertain` section are reported as one group. The intervals are 95%
bootstrap intervals; the same seed gives the same figures on any thread count.";

pub const VOI: &str = "\
Examples:
  tec-model voi scenarios/leicestershire/scenario4-uncertain.yaml examples/voi/smaller.yaml examples/voi/larger.yaml
  tec-model voi scenarios/leicestershire/scenario4-uncertain.yaml --output-measure cumulative_net -n 1e6
  tec-model voi A.yaml B.yaml --seed 3 --format json -o voi.json

Every option draws the uncertain inputs they share from the same draws (common random numbers);
one scenario alone is weighed against doing nothing.";

pub const TRACK: &str = "\
Examples:
  tec-model track scenarios/leicestershire/scenario4.yaml actuals/leicestershire-2021-22-q1-q3.csv
  tec-model track PLAN ACTUALS --as-at 2021-12-31 --rag green=0.05,amber=0.15 -o track.csv
  tec-model track PLAN ACTUALS -o track.xlsx -o track.svg

On a terminal, RAG status is coloured (red, amber, green) unless NO_COLOR is set.";

pub const COMPLETIONS: &str = "\
Install (the static script completes commands, options and file names):
  bash:        tec-model completions bash > ~/.local/share/bash-completion/completions/tec-model
  zsh:         tec-model completions zsh > ~/.zfunc/_tec-model   (with fpath+=~/.zfunc before compinit)
  fish:        tec-model completions fish > ~/.config/fish/completions/tec-model.fish
  PowerShell:  tec-model completions powershell >> $PROFILE

The dynamic script also completes input and output names from the scenario on the line; source
it at shell start-up (it calls tec-model at each <TAB>):
  bash/zsh:    source <(tec-model completions bash --dynamic)      (zsh: ... zsh --dynamic)
  fish:        tec-model completions fish --dynamic | source
  PowerShell:  tec-model completions powershell --dynamic | Out-String | Invoke-Expression";

pub const MAN: &str = "\
Install:
  mkdir -p ~/.local/share/man/man1
  tec-model man > ~/.local/share/man/man1/tec-model.1
  for c in run check simulate inputs compare sweep tornado solve sensitivity voi report track schema init explain; do
    tec-model man $c > ~/.local/share/man/man1/tec-model-$c.1
  done
  man tec-model";
