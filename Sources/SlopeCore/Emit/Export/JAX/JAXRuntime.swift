/// The fixed part of every exported JAX module: Slope's PRNG, CSV reading, the ops whose
/// careful form Slope defines, the optimizers' arithmetic and the JSON output, written out in
/// Python. Each mirrors the Swift it names, operation for operation, so the module computes
/// what `slope run` computes.
enum JAXRuntime {
    static let helpers = #"""
# ---------------------------------------------------------------------------------------------
# Slope's PRNG (IO/Random.swift): SplitMix64 fills xoshiro256**'s four words from the seed; a
# uniform is the top 53 bits times 2^-53; a normal is Box-Muller's cosine half,
# mean + std * sqrt(-2 ln(1 - u1)) * cos(2 pi u2). Draws go in declaration order, row-major.

_MASK = (1 << 64) - 1


def _rotate_left(x, k):
    return ((x << k) | (x >> (64 - k))) & _MASK


class SlopeRandom:
    def __init__(self, seed):
        state, split_mix = [], seed & _MASK
        for _ in range(4):
            split_mix = (split_mix + 0x9E3779B97F4A7C15) & _MASK
            z = split_mix
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
            state.append(z ^ (z >> 31))
        self.state = state

    def next_bits(self):
        s0, s1, s2, s3 = self.state
        result = (_rotate_left((s1 * 5) & _MASK, 7) * 9) & _MASK
        t = (s1 << 17) & _MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotate_left(s3, 45)
        self.state = [s0, s1, s2, s3]
        return result

    def next_uniform(self):
        return float(self.next_bits() >> 11) * 2.0 ** -53

    def uniform(self, low, high, shape):
        return np.array([low + (high - low) * self.next_uniform() for _ in range(_count(shape))]).reshape(shape)

    def normal(self, mean, std, shape):
        values = []
        for _ in range(_count(shape)):
            u1, u2 = self.next_uniform(), self.next_uniform()
            radius = math.sqrt(-2 * math.log(1 - u1))
            values.append(mean + std * radius * math.cos(2 * math.pi * u2))
        return np.array(values).reshape(shape)


    def permutation(self, count):
        # Fisher-Yates from the last position down, j = bits mod (i + 1)
        order = list(range(count))
        for i in range(count - 1, 0, -1):
            j = self.next_bits() % (i + 1)
            order[i], order[j] = order[j], order[i]
        return order


def batch_order(rows, batch, seed, shuffle, steps):
    """sgd's batches (Training/MiniBatches.swift): each epoch a fresh permutation of the rows
    from a stream of its own (the seed xor "SGD_BATC"), or the rows in order without shuffle;
    a batch that outlasts an epoch continues with the next one's rows. One row of indices per step."""
    rng = SlopeRandom(seed ^ 0x5347445F42415443)
    order, position, result = [], 0, []
    for _ in range(steps):
        indices = []
        while len(indices) < batch:
            if position >= len(order):
                order, position = (rng.permutation(rows) if shuffle else list(range(rows))), 0
            take = min(batch - len(indices), len(order) - position)
            indices += order[position:position + take]
            position += take
        result.append(indices)
    return np.array(result, dtype=np.int64).reshape(steps, batch)


def _count(shape):
    return int(np.prod(shape, dtype=np.int64))


def read_csv(path, columns, shape):
    """csv(path, columns...): one column is a vector, several (or none: all) a [rows, k] matrix."""
    with open(os.path.join(PROGRAM_FOLDER, path), newline="") as file:
        rows = [row for row in csv.reader(file) if row]
    header = [name.strip() for name in rows[0]]
    picked = [header.index(name) for name in columns] if columns else list(range(len(header)))
    table = np.array([[float(row[i]) for i in picked] for row in rows[1:]])
    return table.reshape(shape)


# ---------------------------------------------------------------------------------------------
# The ops whose numerically careful form Slope defines (IR/UnaryOp.swift, BinaryOp.swift,
# ReduceOp.swift). jnp.where computes both branches and keeps one: no gradient flows through
# them here (the backward pass is Slope's own code, below), so the unused branch's inf is harmless.

def sigmoid(x):
    # 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) below: neither branch overflows where it is used.
    return jnp.where(x >= 0, 1 / (1 + jnp.exp(-x)), jnp.exp(x) / (1 + jnp.exp(x)))


def softplus(x):
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
    return jnp.maximum(x, 0.0) + jnp.log1p(jnp.exp(-jnp.abs(x)))


def relu(x):
    return jnp.where(x > 0, x, jnp.where(jnp.isnan(x), x, 0.0))


def sign(x):
    return jnp.sign(x)


def step(x):
    return jnp.where(x > 0, 1.0, jnp.where(jnp.isnan(x), x, 0.0))


def mask(x, v):
    # v where x > 0 and exactly 0 elsewhere, never 0 * v (relu's adjoint).
    return jnp.where(x > 0, v, 0.0)


def power(a, b):
    return jnp.power(a, b)


def logsumexp(x, axis=None):
    # m + log sum e^(x - m), m the largest element (taken as 0 where it is infinite).
    m = jnp.max(x, axis=axis, keepdims=True)
    m = jnp.where(jnp.isfinite(m), m, 0.0)
    result = jnp.log(jnp.sum(jnp.exp(x - m), axis=axis, keepdims=True)) + m
    return jnp.squeeze(result, axis=axis) if axis is not None else jnp.reshape(result, ())


def sum_to(x, shape):
    # The adjoint of broadcasting: sum the leading axes shape lacks and the axes where it has 1.
    lead = x.ndim - len(shape)
    axes = tuple(i for i in range(x.ndim) if i < lead or (shape[i - lead] == 1 and x.shape[i] != 1))
    return jnp.reshape(jnp.sum(x, axis=axes, keepdims=True), shape) if axes else jnp.reshape(x, shape)


# ---------------------------------------------------------------------------------------------
# The optimizers (Training/GradientDescent.swift, Momentum.swift, Adam.swift), applied to dicts
# of arrays. g is the descent direction: the gradient, negated for maximize.

def gd_update(rate, params, g, state, t):
    return {k: params[k] - rate * g[k] for k in params}, state


def momentum_update(rate, beta, params, g, state, t):
    # PyTorch's form: v <- beta v + g, theta <- theta - rate v
    velocity = {k: beta * state[k] + g[k] for k in params}
    return {k: params[k] - rate * velocity[k] for k in params}, velocity


def adam_update(rate, beta1, beta2, epsilon, params, g, state, t):
    # PyTorch's order: m <- b1 m + (1-b1) g, v <- b2 v + (1-b2) g^2,
    # theta <- theta - (rate / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps), t = 1, 2, ...
    first, second = state
    t = t + 1.0
    correction1 = 1 - beta1 ** t
    correction2_root = jnp.sqrt(1 - beta2 ** t)
    step_size = rate / correction1
    first = {k: beta1 * first[k] + (1 - beta1) * g[k] for k in params}
    second = {k: beta2 * second[k] + (1 - beta2) * g[k] * g[k] for k in params}
    trained = {k: params[k] - step_size * (first[k] / (jnp.sqrt(second[k]) / correction2_root + epsilon)) for k in params}
    return trained, (first, second)


def descend(loss_and_gradient, update, state, params, inputs, steps, sign, tolerance):
    """Slope's training loop (Training/Trainer.swift): each step evaluates the loss and the
    gradient (of step i's batch, for sgd), stops before updating when the gradient norm is under
    the tolerance, else updates. Returns the trained params, the steps taken and the first step's loss."""
    def body(carry):
        i, params, state, first, done = carry
        loss, gradient = loss_and_gradient(params, inputs, i)
        first = jnp.where(i == 0, loss, first)
        norm = sum(jnp.sum(g * g) for g in gradient.values())
        converged = jnp.sqrt(norm) < tolerance
        direction = {k: sign * g for k, g in gradient.items()}
        updated, new_state = update(params, direction, state, i.astype(jnp.float64))
        keep = lambda old, new: jnp.where(converged, old, new)
        params = jax.tree_util.tree_map(keep, params, updated)
        state = jax.tree_util.tree_map(keep, state, new_state)
        return i + jnp.where(converged, 0, 1), params, state, first, converged

    start = (jnp.asarray(0), params, state, jnp.asarray(jnp.nan), jnp.asarray(False))
    if tolerance is None:
        tolerance = -1.0
        i, params, state, first, _ = lax.fori_loop(0, steps, lambda _, carry: body(carry), start)
    else:
        i, params, state, first, _ = lax.while_loop(lambda c: (c[0] < steps) & ~c[4], body, start)
    return params, i, first


# ---------------------------------------------------------------------------------------------
# Output as slope run --json writes it: NaN and infinities as strings, tensors as nested lists.

def to_json(value):
    value = np.asarray(value, dtype=np.float64)
    if value.ndim == 0:
        v = float(value)
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else ("-inf" if v == -math.inf else v))
    return [to_json(row) for row in value]


def number(v):
    """A number as slope run writes it (ValueFormatter.number): whole numbers without a fraction,
    else the shortest decimal that reads back as the same float64; nan, inf, -inf, -0."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "-inf" if v < 0 else "inf"
    if v == round(v) and abs(v) < 1e16:
        return ("-0" if math.copysign(1, v) < 0 else "0") if v == 0 else str(int(v))
    return repr(v)


def literal(value):
    """A value as slope run writes it (ValueFormatter.literal): nested brackets, row-major; a
    tensor of more than 1000 elements shows the first and last three of each long axis."""
    value = np.asarray(value, dtype=np.float64)
    folding = value.size > 1000

    def write(part):
        if part.ndim == 0:
            return number(part)
        rows = list(part)
        if folding and len(rows) > 6:
            return "[" + ", ".join([write(r) for r in rows[:3]] + ["..."] + [write(r) for r in rows[-3:]]) + "]"
        return "[" + ", ".join(write(r) for r in rows) + "]"

    return write(value)


def shard(params, inputs, devices, data_inputs):
    """--devices N: a Mesh of N devices over one axis, "batch"; the data inputs' rows split over
    it, everything else replicated. jit then runs every step data parallel, XLA's collectives
    summing the gradient's reductions across devices."""
    from jax.sharding import Mesh, NamedSharding, PartitionSpec
    available = jax.devices()
    if devices > len(available):
        sys.exit(f"error: --devices {devices}, but JAX sees {len(available)} device(s); on CPU set "
                 f"XLA_FLAGS=--xla_force_host_platform_device_count={devices}")
    mesh = Mesh(np.array(available[:devices]), ("batch",))
    replicated = NamedSharding(mesh, PartitionSpec())
    rows = NamedSharding(mesh, PartitionSpec("batch"))
    def place(name, value):
        if name not in data_inputs or value.ndim == 0:
            return jax.device_put(value, replicated)
        if value.shape[0] % devices != 0:
            print(f"note: {name} has {value.shape[0]} rows, not a multiple of {devices}: every device holds all of them",
                  file=sys.stderr)
            return jax.device_put(value, replicated)
        return jax.device_put(value, rows)
    return ({k: jax.device_put(v, replicated) for k, v in params.items()},
            {k: place(k, v) for k, v in inputs.items()})
"""#
}
