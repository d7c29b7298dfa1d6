// The main demo (`npm start`): a short tour of the tensor library.
// Later work replaces it with BitNet training; this one needs no data.
import { arange, matmul, randn, softmax, tensor } from "@bitnet-quantize/tensor";

const x = tensor([[1, 2, 3], [4, 5, 6]]);
console.log("x =", String(x));
console.log("x.T (a view, no copy) =", String(x.transpose()));
console.log("x + [10, 20, 30] (broadcast) =", String(x.add(tensor([10, 20, 30]))));
console.log("sum over rows =", String(x.sum(1)));
console.log("softmax(x) =", String(softmax(x)));
const w = randn([3, 4], { seed: 0 });
console.log("x @ w, w ~ N(0,1) seeded =", String(matmul(x, w)));
console.log("arange(12).reshape([3, 4]).slice(1, 0, undefined, 2) =", String(arange(12).reshape([3, 4]).slice(1, 0, undefined, 2)));
