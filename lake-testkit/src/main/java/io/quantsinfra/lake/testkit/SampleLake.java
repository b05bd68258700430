package io.quantsinfra.lake.testkit;

/**
 * The sample-lake generator under the name it had before the demo moved out of lake-testkit: it is
 * {@link io.quantsinfra.lake.demo.SampleLake}, whose static members and nested types this subclass inherits and
 * adds nothing to. Tests that import it from here keep compiling; new code imports the demo's.
 */
public final class SampleLake extends io.quantsinfra.lake.demo.SampleLake {

    private SampleLake() {
    }
}
