/// Usage text for `slope --help` and `slope COMMAND --help`.
public enum Usage {
    public static let version = "slope 0.1.0"

    public static let overview = """
    slope: a computation-graph compiler for the calculus of machine learning

    usage:
      slope run   FILE.graph [--set NAME=VALUE]... [--seed N] [--json] [--quiet] [--time]
                             [--log FILE.csv] [--plot FILE.svg] [--save FILE.json] [--load FILE.json]
      slope grad  FILE.graph [--of NAME] [--wrt A,B,...] [--json] [--expand] [--no-opt]
      slope ir    FILE.graph [--no-opt | --passes] [--set NAME=VALUE]...
      slope dot   FILE.graph [--grad] [--values] [--opt] [--expand] [--of NAME] [--wrt A,B,...]
                             [--set NAME=VALUE]... [--load FILE.json]
      slope check FILE.graph [--of NAME] [--wrt A,B,...] [--sweep] [--json]
                             [--set NAME=VALUE]... [--load FILE.json]
      slope tangent  FILE.graph [--of NAME] [--at A=V,B=V,...] [--order 1|2] [--json]
      slope critical FILE.graph [--of NAME] [--in A=LO:HI,B=LO:HI,...] [--json]
      slope export   FILE.graph --to jax|onnx [-o FILE] [--dtype float32|float64] [--load FILE.json]
      slope lsp      [--stdio]
      slope report   FILE.graph [-o FILE.html] [--of NAME] [--wrt A,B,...] [--set NAME=VALUE]... [--load FILE.json]

    commands:
      run     evaluate the program: print statements print, minimize/maximize train
      grad    print the generated gradient program as .graph source
      ir      print the intermediate representation
      dot     print a Graphviz DOT picture of the program
      check   compare autodiff gradients with central finite differences
      tangent   print the tangent line, plane or hyperplane at a point as .graph source
      critical  find the minima, maxima and saddle points in a box
      export    write the program for JAX (a Python module) or ONNX (a model file)
      lsp       serve diagnostics, hover, definitions and completion to an editor
      report    write one HTML page showing the program whole: source, values, pictures, gradient, check

    slope COMMAND --help shows a command's options; slope --version shows the version.
    exit status: 0 success, 1 the program is wrong, 2 the command line is wrong.

    """

    public static func help(for command: Arguments.Command) -> String {
        switch command {
        case .run:
            return """
            usage: slope run FILE.graph [options]

            Evaluates the program: print statements print, minimize/maximize statements train
            (progress on stderr), and the trained params are shown at the end.

              --set NAME=VALUE   replace an input's or param's initial value (a number or [1, 2, 3])
              --seed N           seed for normal() and uniform() (overrides the program's seed)
              --json             print one JSON object on stdout instead of text
              --quiet            no training progress on stderr
              --time             report the time of each phase (parse, compile, load, run)
              --log FILE.csv     write step,loss for every training step (with sgd: step,batch_loss,loss)
              --plot FILE.svg    draw the loss curve (and the function, for 1 or 2 scalar params);
                                 without training, the printed function of 1 or 2 scalar params or inputs
              --save FILE.json   write the trained params (atomically)
              --load FILE.json   start from saved params

            """
        case .grad:
            return """
            usage: slope grad FILE.graph [options]

            Prints the generated gradient program: valid .graph source computing the target and
            its gradient with respect to each --wrt name, ending with one print of the gradients.

              --of NAME          the target (default: the last minimize/maximize target, else the last value)
              --wrt A,B,...      the names to differentiate by (default: every param the target depends on)
              --json             print {"of", "value", "gradient"} at the program's values instead
              --expand           write scalar polynomial gradients as sums of monomials
              --no-opt           the gradient as reverse mode emits it, before optimization
              --set NAME=VALUE   replace an input's or param's initial value first
              --seed N           seed for normal() and uniform() (overrides the program's seed)

            """
        case .ir:
            return """
            usage: slope ir FILE.graph [--no-opt | --passes] [options]

            Prints the IR, one node per line (optimized unless --no-opt).

              --no-opt           the IR as lowered, before optimization
              --passes           the IR after each pass, with what the pass changed
              --set NAME=VALUE   replace an input's or param's initial value first
              --seed N           seed for normal() and uniform() (overrides the program's seed)

            """
        case .dot:
            return """
            usage: slope dot FILE.graph [options]

            Prints a Graphviz DOT digraph of the program.

              --grad             add the gradient nodes, with dashed edges to the values they belong to
              --values           write forward values (and gradients, with --grad) on the nodes
              --opt              draw the optimized IR instead of the program as written
              --expand           draw inside each fn call and prelude function (bce, mean, ...) instead
                                 of one box per call
              --of NAME          the target for --grad (default as for grad)
              --wrt A,B,...      the names for --grad (default: every param the target depends on)
              --set NAME=VALUE   replace an input's or param's initial value first
              --seed N           seed for normal() and uniform() (overrides the program's seed)
              --load FILE.json   start from saved params (as run --save writes them): draw the trained model

            """
        case .check:
            return """
            usage: slope check FILE.graph [options]

            Compares the autodiff gradient with central finite differences for every --wrt name
            and prints the worst absolute and relative error per name. Exit 0 when all agree.

              --of NAME          the target (default as for grad)
              --wrt A,B,...      the names to check (default: every param the target depends on)
              --sweep            show the error across step sizes
              --json             print the results as JSON
              --set NAME=VALUE   replace an input's or param's initial value first
              --seed N           seed for normal() and uniform() (overrides the program's seed)
              --load FILE.json   start from saved params (as run --save writes them): check the trained model

            """
        case .tangent:
            return """
            usage: slope tangent FILE.graph [options]

            Prints the first-order Taylor model of the target at a point (the tangent line, plane
            or hyperplane) as .graph source with the numbers written out, such as
            f_tangent = 13 + 4*(x - 2) + 6*(y - 3). The scalar params and inputs the target depends
            on are its variables, declared at the point, so --set moves them in the printed program.

              --of NAME          the target (default as for grad)
              --at A=V,B=V,...   the point (default: the program's values)
              --order 1|2        2 adds the Hessian terms: the quadratic model Newton's method steps on
              --json             print {"of", "at", "value", "gradient"} (and "hessian" with --order 2)
              --set NAME=VALUE   replace an initial value first
              --seed N           seed for normal() and uniform() (overrides the program's seed)

            """
        case .critical:
            return """
            usage: slope critical FILE.graph --in A=LO:HI,B=LO:HI,... [options]

            Finds the critical points (where the gradient is zero) of the target inside a box, by
            Newton's method from a grid of starts, and classifies each by its Hessian's eigenvalues:
            minimum, maximum, saddle or degenerate (an eigenvalue 0).

              --in A=LO:HI,...   a range for every scalar param and input the target depends on
              --of NAME          the target (default as for grad)
              --json             print {"of", "points": [{"at", "value", "kind", "eigenvalues"}]}
              --set NAME=VALUE   replace an initial value first (of the names held fixed, say)
              --seed N           seed for normal() and uniform() (overrides the program's seed)

            """
        case .report:
            return """
            usage: slope report FILE.graph [-o FILE.html] [options]

            Writes one self-contained HTML page (no script, nothing loaded from elsewhere) that shows
            the program whole: its source with the diagnostics at their lines, what slope run prints
            and its plot, the graph and its backward pass as pictures (with Graphviz's dot on PATH),
            the gradient program, the check table and, for a function of one or two scalar params
            or inputs, the tangent and the critical points. A program with errors still gets a page
            (the source and its diagnostics), and the exit status is 1.

              -o FILE.html       where to write the page (atomically; default: standard output)
              --of NAME          the target of the gradient, the check and the tangent (default as for grad)
              --wrt A,B,...      the names for the gradient, the check and the backward pass
              --set NAME=VALUE   replace an input's or param's initial value first
              --seed N           seed for normal() and uniform() (overrides the program's seed)
              --load FILE.json   start from saved params (as run --save writes them)

            """
        case .export:
            return """
            usage: slope export FILE.graph --to jax|onnx [-o FILE] [options]

            Writes the program for another engine. --to jax: a self-contained Python module (jax and
            numpy only) that does what slope run does, with Slope's own backward pass as code;
            run it as python FILE.py --json, or import it. --to onnx: the forward computation as
            an ONNX model (opset 17): params as initializers, inputs as graph inputs, printed
            values as graph outputs.

              --to jax|onnx      the target
              -o FILE            where to write (required for onnx; default for jax: standard output)
              --dtype float32|float64   the ONNX model's element type (default float32)
              --load FILE.json   export saved params (as run --save writes them): the trained model
              --set NAME=VALUE   replace an input's or param's initial value first
              --seed N           seed for normal() and uniform() (overrides the program's seed)

            """
        }
    }
}
