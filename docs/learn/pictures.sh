#!/usr/bin/env bash
# Draws the guide's pictures again, from the repository root: the --plot pictures with the
# built slope, the graph pictures through Graphviz's dot. Run it after a change to what they
# show, and review the SVG diff.
set -euo pipefail
cd "$(dirname "$0")/../.."
slope=${SLOPE:-.build/debug/slope}
"$slope" run Graphs/sum_of_squares.graph --quiet --plot docs/learn/least_squares.svg > /dev/null
"$slope" run Graphs/perceptron_classification.graph --quiet --plot docs/learn/perceptron.svg > /dev/null
"$slope" run Graphs/newton.graph --quiet --plot docs/learn/newton.svg > /dev/null
"$slope" run Graphs/distance_from_speed.graph --plot docs/learn/area.svg > /dev/null
"$slope" dot Graphs/paraboloid.graph --grad --values 2> /dev/null | dot -Tsvg > docs/learn/paraboloid.svg
