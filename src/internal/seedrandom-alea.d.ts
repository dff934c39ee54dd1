// Types for the one seedrandom generator nextbest uses (the package's own types cover only its main entry).
declare module "seedrandom/lib/alea.js" {
  interface AleaGenerator {
    (): number;
    int32(): number;
    double(): number;
    quick(): number;
  }
  function alea(seed?: string): AleaGenerator;
  export default alea;
}
