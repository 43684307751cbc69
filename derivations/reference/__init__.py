"""The numpy reference implementations (the oracles), written once and checked by the catalogue.

    dense       a dense network: forward pass, loss, errors δ^l, gradients (BP1–BP4; §3.1)
    conv        a convolutional layer: forward (eq. 3.9) and backward (3.14, CONV-BP3, CONV-BP4)
    batchnorm   batch normalization in training mode: Algorithm 1 and eqs. 3.22–3.23
    moments     closed-form mean and variance of common distributions (§1.1)
    common      what they share: the float dtype of a computation, the logistic sigmoid

The documented entry points are re-exported by the topic modules whose claims check them:
`derivations.backprop.gradients`, `derivations.conv.forward`, `derivations.batchnorm.backward`,
`derivations.probability.moments`, …
"""
