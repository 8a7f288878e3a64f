import Testing
import HoneNN
import HoneTensor

/// Parameter values after 6 steps, printed by PyTorch 2.15 (`torch.optim`, float32) from
/// benchmarks/reference-optimizers.py on the fixture in OptimizerTestSupport.swift.
@Suite struct OptimizerGoldenTests {
    typealias F = OptimizerFixture

    static let golden: [String: [[Float]]] = [
        "sgd": [[0.32539618, 0.426027, 0.156219795, -0.21345444, -0.341188848, -0.129103974, 0.195961118, 0.305982858, 0.0870510489, -0.249902993, -0.367572516, -0.125333354], [0.235726818, 0.199624866, 0.0191084128, -0.131477952, -0.127646327]],
        "sgdMomentumDampening": [[0.328319579, 0.515066803, 0.340892553, -0.0120271845, -0.260515779, -0.261325181, -0.102761179, 0.0183860194, 0.00175929233, -0.0694827884, -0.0370427333, 0.14333339], [0.357790023, 0.379026502, 0.186741874, -0.0662135333, -0.223422915]],
        "sgdNesterovDecay": [[0.300204039, 0.399975806, 0.174461693, -0.154393047, -0.296467662, -0.154451445, 0.102356635, 0.211915776, 0.0725590661, -0.16309303, -0.239972204, -0.0531362295], [0.243714198, 0.214455009, 0.0435809307, -0.116401277, -0.146965981]],
        "adam": [[0.415195882, 0.475356221, 0.0936016589, -0.355775267, -0.466162294, -0.164128929, 0.297134995, 0.466463059, 0.192008704, -0.26393196, -0.465170324, -0.240277469], [0.273509681, 0.158740789, -0.0834595412, -0.235219553, -0.165497392]],
        "adamAmsgradL2": [[0.402608633, 0.484413832, 0.109770223, -0.333492309, -0.447151005, -0.181569502, 0.269918472, 0.43838495, 0.177476957, -0.256211072, -0.43294999, -0.215741426], [0.288031191, 0.174478188, -0.066795595, -0.221065372, -0.162272751]],
        "adamW": [[0.407774359, 0.466969371, 0.0920606554, -0.34929055, -0.457774282, -0.161329567, 0.291634023, 0.457959265, 0.188512757, -0.259115607, -0.456641555, -0.235816613], [0.268749893, 0.156039834, -0.0818546489, -0.230964735, -0.16259551]],
        "rmsprop": [[0.339389443, 0.539257526, 0.16531533, -0.262699485, -0.382050872, -0.26315555, 0.192792982, 0.360156983, 0.121758096, -0.295224488, -0.34121263, -0.145404875], [0.35998863, 0.228870064, -0.00658426434, -0.165488675, -0.104254186]],
        "rmspropCenteredMomentum": [[0.376432627, 0.515613139, 0.125930518, -0.315132469, -0.426446944, -0.231890842, 0.241499901, 0.416358501, 0.16474165, -0.277562946, -0.392197371, -0.194652095], [0.331248134, 0.192803308, -0.052438546, -0.206941485, -0.133128628]],
        "adagrad": [[0.359356761, 0.481589228, 0.150377229, -0.270624578, -0.388919801, -0.172571227, 0.203315541, 0.366690785, 0.131869286, -0.230181485, -0.356377274, -0.154637486], [0.286938071, 0.211070299, -0.0184360296, -0.175280169, -0.157790422]],
        "clipNormSgd": [[0.406327546, 0.448458284, 0.0857928619, -0.347311765, -0.455705762, -0.145313516, 0.292998493, 0.453426898, 0.189651832, -0.251190931, -0.457899123, -0.236033529], [0.251946241, 0.147409126, -0.0840580836, -0.231626302, -0.164714575]],
        "clipValueAdam": [[0.409336597, 0.482501864, 0.0931931064, -0.357884407, -0.467617959, -0.170625076, 0.303623945, 0.468029469, 0.203518078, -0.275029361, -0.463492662, -0.243805811], [0.283665717, 0.154313087, -0.079104349, -0.241956875, -0.16097559]],
        "groupsAdam": [[0.415195882, 0.475356221, 0.0936016589, -0.355775267, -0.466162294, -0.164128929, 0.297134995, 0.466463059, 0.192008704, -0.26393196, -0.465170324, -0.240277469], [0.363926977, 0.28233698, 0.077744633, -0.0867628753, -0.142894238]],
    ]

    func check(_ name: String, _ t: any GradientTransformation,
               clip: (([(String, Parameter)]) -> Void)? = nil) {
        let got = F.run(t, beforeStep: clip).last!
        let want = Self.golden[name]!
        var worst: Float = 0
        for (a, b) in zip(got, want) {
            for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) }
        }
        #expect(worst < 2e-6, "\(name): max |Δ| \(worst)")
    }

    @Test func sgdFamily() {
        check("sgd", sgd(learningRate: 0.1))
        check("sgdMomentumDampening", sgd(learningRate: 0.1, momentum: 0.9, dampening: 0.2))
        check("sgdNesterovDecay", sgd(learningRate: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.1))
    }

    @Test func adamFamily() {
        check("adam", adam(learningRate: 0.01))
        check("adamAmsgradL2", adam(learningRate: 0.02, beta1: 0.8, beta2: 0.9, weightDecay: 0.1, amsgrad: true))
        check("adamW", adamW(learningRate: 0.01, weightDecay: 0.3))
    }

    @Test func rmspropAndAdagrad() {
        check("rmsprop", rmsprop(learningRate: 0.01))
        check("rmspropCenteredMomentum", rmsprop(learningRate: 0.01, alpha: 0.9, centered: true, momentum: 0.5, weightDecay: 0.05))
        check("adagrad", adagrad(learningRate: 0.1, learningRateDecay: 0.05, initialAccumulator: 0.2, weightDecay: 0.1))
    }

    @Test func clippingMatchesTorchUtils() {
        check("clipNormSgd", chain(clipByGlobalNorm(0.5), sgd(learningRate: 0.1, momentum: 0.5)))
        check("clipValueAdam", chain(clipByValue(0.3), adam(learningRate: 0.01)))
    }

    @Test func parameterGroupsByPrefix() {
        check("groupsAdam", partition([("layer.", adam(learningRate: 0.01))],
                                      default: adam(learningRate: 0.1, weightDecay: 0.5)))
    }
}
