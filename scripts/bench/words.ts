// Vocabulary for the benchmark's synthetic help-desk text. COMMON is ordered roughly from the most
// to the least frequent and drawn with a Zipf-like skew, so full-text search meets both very
// common terms (e.g. "printer") and ones in a few percent of tickets. RARE words are sprinkled
// into a fraction of a percent of descriptions: a search for one hits a handful of tickets.

export const COMMON = `
the my to is not and a on it i for of in with when can you after this we our from
please error cannot working login access password laptop printer email network vpn
account screen new help issue again since today office user outlook teams update
install connect open computer phone file shared drive folder monitor keyboard mouse
wifi internet slow reset locked meeting calendar license software windows restart
server message send receive sync browser chrome edge page website link upload print
printing paper toner jam scanner badge door camera microphone headset audio sound
video call zoom desk dock charger battery power cable port usb display resolution
boot crash freeze frozen hang blue timeout certificate expired warning popup prompt
permission denied request approve manager team project report excel word powerpoint
onedrive sharepoint mailbox archive quota storage full space backup restore deleted
recover version latest old upgrade patch driver firmware bios encryption bitlocker
token authenticator code sms mfa phone number mobile tablet iphone android app store
installer setup configuration settings profile signature rule filter spam phishing
suspicious attachment virus antivirus scan blocked firewall proxy dns ip address
router switch cable floor building room conference projector tv screen share remote
desktop session citrix terminal ssh key github repository database query slowness
performance memory cpu disk fan noise overheating smell broken cracked replace
order purchase delivery shipment asset tag serial model loan return onboarding
offboarding starter leaver contract visitor guest network wireless signal weak
dropping disconnects intermittent randomly every morning afternoon yesterday week
urgent asap deadline client presentation payroll invoice finance hr legal sales
support ticket follow up thanks regards hello hi team colleague everyone nobody
works fine now still same problem persists tried rebooting cleared cache cookies
reinstalled updated logged out back in different machine also affected whole floor
`
  .split(/\s+/)
  .filter(Boolean);

export const RARE = `
defenestration quixotic obsequious perspicacious sesquipedalian lugubrious pusillanimous
antediluvian recalcitrant obstreperous parsimonious mellifluous sycophantic ineffable
phlegmatic truculent vituperative loquacious magnanimous querulous garrulous insouciant
pulchritudinous tintinnabulation borborygmus callipygian defalcation ebullience
fastidious gregarious hegemony iconoclast juxtaposition kaleidoscope labyrinthine
mendacious nefarious oscillograph palimpsest quintessential rhapsodic serendipitous
tergiversation ubiquitous verisimilitude wanderlust xenophobic yesteryear zeitgeist
abecedarian bibliophile cacophony diaphanous effervescent flabbergasted grandiloquent
hullabaloo idiosyncratic jocular kerfuffle lackadaisical malapropism nincompoop
onomatopoeia persnickety quagmire rambunctious shenanigans thingamajig undulating
vexillology whippersnapper xylograph yammering zugzwang anemometer brouhaha
catawampus dillydally eavesdrop fiddlesticks gobbledygook hobbledehoy inglenook
jabberwocky kowtow lollygag mumpsimus nudiustertian oxter pettifogger quibble
ragamuffin snollygoster taradiddle umbriferous vagary wabbit xertz yarborough zoanthropy
`
  .split(/\s+/)
  .filter(Boolean);

export const FIRST_NAMES = `
Ada Alan Alice Amir Ana Anil Anna Ben Bea Carla Carlos Chen Chloe Dan Dana David Diego Elena
Emma Eric Eva Farah Felix Fiona Grace Hana Hugo Ian Ines Ivan Jack Jana Javier Jin Julia Kai
Kate Kenji Lara Leo Lina Luca Maya Mei Mia Milan Nadia Nina Noah Olga Omar Oscar Paula Pedro
Priya Rafael Rosa Ruth Sam Sara Sofia Tom Tariq Uma Vera Victor Wei Yara Yusuf Zoe Zara
`
  .split(/\s+/)
  .filter(Boolean);

export const LAST_NAMES = `
Abbott Adler Baker Banerjee Barros Becker Bianchi Brown Chen Costa Cruz Dubois Dvorak Eriksen
Evans Fischer Fontaine Garcia Gomez Green Hansen Haddad Ito Jansen Jones Kaur Kim Kowalski
Larsen Lee Lopez Martin Meyer Moreau Morris Nakamura Novak Okafor Olsen Patel Petrov Quinn
Rossi Santos Schmidt Silva Singh Smith Sousa Tanaka Taylor Torres Ueda Vargas Walker Weber
Wilson Wong Yilmaz Young Zhang Ziegler
`
  .split(/\s+/)
  .filter(Boolean);
