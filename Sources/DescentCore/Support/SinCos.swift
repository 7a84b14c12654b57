import DescentShims

/// sin(x) and cos(x) from one argument reduction, with exactly the bits of `sin(x)` and `cos(x)`.
///
/// The C library's `sincos` shares its reduction and polynomials with `sin` and `cos`; a C compiler calls
/// it by itself wherever both take one argument (gcc does so in the benchmark's C limit proxy), for little
/// more than one of them costs. The bits are compared with `sin` and `cos` by a test, so landscapes
/// that use it stay bit-identical to PyTorch's separate `torch.sin` and `torch.cos`.
@inline(__always)
func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
  var s = 0.0
  var c = 0.0
  descent_sincos(x, &s, &c)
  return (s, c)
}
